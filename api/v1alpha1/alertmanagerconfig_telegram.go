package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
)

// TelegramParseMode is how Telegram formats a message.
//
// +kubebuilder:validation:Enum=MarkdownV2;Markdown;HTML
type TelegramParseMode string

// TelegramConfig sends alerts to a Telegram chat through a bot.
//
// +kubebuilder:validation:XValidation:rule="has(self.botToken) != has(self.botTokenFile)",message="exactly one of botToken and botTokenFile must be set"
// +kubebuilder:validation:XValidation:rule="self.chatID != 0",message="chatID is required"
type TelegramConfig struct {
	// sendResolved also notifies when alerts resolve.
	//
	// +optional
	SendResolved *bool `json:"sendResolved,omitempty"`

	// apiURL is the Telegram Bot API endpoint; https://api.telegram.org when
	// unset.
	//
	// +optional
	APIURL *URL `json:"apiURL,omitempty"`

	// botToken is the Secret key holding the bot's token.
	//
	// +optional
	BotToken *corev1.SecretKeySelector `json:"botToken,omitempty"`

	// botTokenFile is the path of a file in the Alertmanager container that
	// holds the bot's token.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	BotTokenFile *string `json:"botTokenFile,omitempty"`

	// chatID is the chat to post in; group and channel IDs are negative.
	//
	// +required
	ChatID int64 `json:"chatID"`

	// messageThreadID is the topic to post in, in a group with topics.
	//
	// +optional
	MessageThreadID *int64 `json:"messageThreadID,omitempty"`

	// message is the template of the message.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=65536
	Message string `json:"message,omitempty"`

	// disableNotifications posts silently, without a sound on the
	// recipients' devices.
	//
	// +optional
	DisableNotifications *bool `json:"disableNotifications,omitempty"`

	// parseMode is how Telegram formats the message.
	//
	// +optional
	ParseMode TelegramParseMode `json:"parseMode,omitempty"`

	// httpConfig is how Alertmanager connects to Telegram.
	//
	// +optional
	HTTPConfig *HTTPConfig `json:"httpConfig,omitempty"`
}
