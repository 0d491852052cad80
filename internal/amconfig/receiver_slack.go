package amconfig

import (
	"fmt"

	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// slackConfig is Alertmanager's slack_configs entry.
type slackConfig struct {
	SendResolved  *bool         `yaml:"send_resolved,omitempty"`
	APIURL        string        `yaml:"api_url,omitempty"`
	Channel       string        `yaml:"channel,omitempty"`
	Username      string        `yaml:"username,omitempty"`
	Color         string        `yaml:"color,omitempty"`
	Title         string        `yaml:"title,omitempty"`
	TitleLink     string        `yaml:"title_link,omitempty"`
	Pretext       string        `yaml:"pretext,omitempty"`
	Text          string        `yaml:"text,omitempty"`
	MessageText   string        `yaml:"message_text,omitempty"`
	Fields        []slackField  `yaml:"fields,omitempty"`
	ShortFields   bool          `yaml:"short_fields,omitempty"`
	Footer        string        `yaml:"footer,omitempty"`
	Fallback      string        `yaml:"fallback,omitempty"`
	CallbackID    string        `yaml:"callback_id,omitempty"`
	IconEmoji     string        `yaml:"icon_emoji,omitempty"`
	IconURL       string        `yaml:"icon_url,omitempty"`
	ImageURL      string        `yaml:"image_url,omitempty"`
	ThumbURL      string        `yaml:"thumb_url,omitempty"`
	LinkNames     bool          `yaml:"link_names,omitempty"`
	MrkdwnIn      []string      `yaml:"mrkdwn_in,omitempty"`
	Actions       []slackAction `yaml:"actions,omitempty"`
	UpdateMessage bool          `yaml:"update_message,omitempty"`
	Timeout       string        `yaml:"timeout,omitempty"`
	HTTPConfig    *httpConfig   `yaml:"http_config,omitempty"`
}

type slackField struct {
	Title string `yaml:"title"`
	Value string `yaml:"value"`
	Short *bool  `yaml:"short,omitempty"`
}

type slackAction struct {
	Type    string        `yaml:"type"`
	Text    string        `yaml:"text"`
	URL     string        `yaml:"url,omitempty"`
	Style   string        `yaml:"style,omitempty"`
	Name    string        `yaml:"name,omitempty"`
	Value   string        `yaml:"value,omitempty"`
	Confirm *slackConfirm `yaml:"confirm,omitempty"`
}

type slackConfirm struct {
	Text        string `yaml:"text"`
	Title       string `yaml:"title,omitempty"`
	OkText      string `yaml:"ok_text,omitempty"`
	DismissText string `yaml:"dismiss_text,omitempty"`
}

func addSlackConfigs(r *resolver, in *monitoringv1alpha1.Receiver, out *receiver) (err error) {
	out.SlackConfigs, err = convertEach(r, "slackConfigs", in.SlackConfigs, convertSlack)
	return err
}

func convertSlack(r *resolver, in *monitoringv1alpha1.SlackConfig) (*slackConfig, error) {
	out := &slackConfig{
		SendResolved:  in.SendResolved,
		Channel:       derefString(in.Channel),
		Username:      derefString(in.Username),
		Color:         derefString(in.Color),
		Title:         derefString(in.Title),
		TitleLink:     in.TitleLink,
		Pretext:       derefString(in.Pretext),
		Text:          derefString(in.Text),
		MessageText:   derefString(in.MessageText),
		ShortFields:   in.ShortFields != nil && *in.ShortFields,
		Footer:        derefString(in.Footer),
		Fallback:      derefString(in.Fallback),
		CallbackID:    derefString(in.CallbackID),
		IconEmoji:     derefString(in.IconEmoji),
		IconURL:       in.IconURL,
		ImageURL:      in.ImageURL,
		ThumbURL:      in.ThumbURL,
		LinkNames:     in.LinkNames != nil && *in.LinkNames,
		MrkdwnIn:      in.MrkdwnIn,
		UpdateMessage: in.UpdateMessage != nil && *in.UpdateMessage,
	}
	var err error
	// Unset, Alertmanager uses the global slack_api_url.
	if in.APIURL != nil {
		if out.APIURL, err = secretURL(r, "apiURL", in.APIURL); err != nil {
			return nil, err
		}
	}
	for _, f := range in.Fields {
		out.Fields = append(out.Fields, slackField{Title: f.Title, Value: f.Value, Short: f.Short})
	}
	for _, a := range in.Actions {
		action := slackAction{
			Type:  a.Type,
			Text:  a.Text,
			URL:   a.URL,
			Style: derefString(a.Style),
			Name:  derefString(a.Name),
			Value: derefString(a.Value),
		}
		if c := a.ConfirmField; c != nil {
			action.Confirm = &slackConfirm{
				Text:        c.Text,
				Title:       derefString(c.Title),
				OkText:      derefString(c.OkText),
				DismissText: derefString(c.DismissText),
			}
		}
		out.Actions = append(out.Actions, action)
	}
	if out.Timeout, err = goDuration("timeout", in.Timeout); err != nil {
		return nil, err
	}
	if out.HTTPConfig, err = convertHTTPConfig(r, in.HTTPConfig); err != nil {
		return nil, fmt.Errorf("httpConfig: %w", err)
	}
	return out, nil
}
