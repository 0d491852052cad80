package v1alpha1

// Receiver is a named set of notification integrations; an alert routed to
// it is sent through every one of them. Each kind lives in its own file,
// alertmanagerconfig_<kind>.go.
//
// Vigil supports the receiver kinds below. Prometheus Operator's other kinds
// (discord, wechat, victorops, pushover, sns, webex, msteams, rocketchat)
// are not part of the schema yet, so an object using them is refused by the
// API server instead of being accepted and then half-rendered.
type Receiver struct {
	// name by which routes refer to the receiver; unique within the object.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// webhookConfigs post alerts as JSON to an HTTP endpoint.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	WebhookConfigs []WebhookConfig `json:"webhookConfigs,omitempty"`

	// emailConfigs send alerts by email.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	EmailConfigs []EmailConfig `json:"emailConfigs,omitempty"`

	// slackConfigs post alerts to Slack.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	SlackConfigs []SlackConfig `json:"slackConfigs,omitempty"`

	// pagerdutyConfigs open PagerDuty incidents.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	PagerDutyConfigs []PagerDutyConfig `json:"pagerdutyConfigs,omitempty"`

	// opsgenieConfigs create OpsGenie alerts.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	OpsGenieConfigs []OpsGenieConfig `json:"opsgenieConfigs,omitempty"`

	// msteamsv2Configs post adaptive cards to Microsoft Teams through a
	// Workflows (Power Automate) webhook.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	MSTeamsV2Configs []MSTeamsV2Config `json:"msteamsv2Configs,omitempty"`

	// telegramConfigs send alerts to a Telegram chat.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	TelegramConfigs []TelegramConfig `json:"telegramConfigs,omitempty"`
}
