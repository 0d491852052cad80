package amconfig

import (
	"errors"
	"fmt"

	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// telegramConfig is Alertmanager's telegram_configs entry.
type telegramConfig struct {
	SendResolved         *bool       `yaml:"send_resolved,omitempty"`
	APIURL               string      `yaml:"api_url,omitempty"`
	BotToken             string      `yaml:"bot_token,omitempty"`
	BotTokenFile         string      `yaml:"bot_token_file,omitempty"`
	ChatID               int64       `yaml:"chat_id,omitempty"`
	MessageThreadID      *int64      `yaml:"message_thread_id,omitempty"`
	Message              string      `yaml:"message,omitempty"`
	DisableNotifications bool        `yaml:"disable_notifications,omitempty"`
	ParseMode            string      `yaml:"parse_mode,omitempty"`
	HTTPConfig           *httpConfig `yaml:"http_config,omitempty"`
}

func addTelegramConfigs(r *resolver, in *monitoringv1alpha1.Receiver, out *receiver) (err error) {
	out.TelegramConfigs, err = convertEach(r, "telegramConfigs", in.TelegramConfigs, convertTelegram)
	return err
}

func convertTelegram(r *resolver, in *monitoringv1alpha1.TelegramConfig) (*telegramConfig, error) {
	out := &telegramConfig{
		SendResolved:         in.SendResolved,
		ChatID:               in.ChatID,
		MessageThreadID:      in.MessageThreadID,
		Message:              in.Message,
		DisableNotifications: in.DisableNotifications != nil && *in.DisableNotifications,
		ParseMode:            string(in.ParseMode),
	}
	if in.APIURL != nil {
		out.APIURL = string(*in.APIURL)
	}
	var err error
	switch {
	case in.BotToken != nil && in.BotTokenFile != nil:
		return nil, errors.New("botToken and botTokenFile are mutually exclusive")
	case in.BotToken != nil:
		if out.BotToken, err = r.secret(in.BotToken); err != nil {
			return nil, fmt.Errorf("botToken: %w", err)
		}
	case in.BotTokenFile != nil:
		if err := r.Files(); err != nil {
			return nil, fmt.Errorf("botTokenFile: %w", err)
		}
		out.BotTokenFile = *in.BotTokenFile
	}
	if out.HTTPConfig, err = convertHTTPConfig(r, in.HTTPConfig); err != nil {
		return nil, fmt.Errorf("httpConfig: %w", err)
	}
	return out, nil
}
