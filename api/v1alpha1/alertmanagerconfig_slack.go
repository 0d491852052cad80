package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// SlackConfig posts alerts to Slack as a message attachment. Text fields
// are notification templates.
type SlackConfig struct {
	// sendResolved also notifies when alerts resolve.
	//
	// +optional
	SendResolved *bool `json:"sendResolved,omitempty"`

	// apiURL is the Secret key holding the Slack webhook URL. Unset, the
	// Alertmanager's global Slack URL is used.
	//
	// +optional
	APIURL *corev1.SecretKeySelector `json:"apiURL,omitempty"`

	// channel is the channel or user to post to.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Channel *string `json:"channel,omitempty"`

	// username is the name the message is posted as.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Username *string `json:"username,omitempty"`

	// color of the attachment's border: good, warning, danger or a hex code
	// such as #439FE0.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Color *string `json:"color,omitempty"`

	// title of the attachment.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=8192
	Title *string `json:"title,omitempty"`

	// titleLink is the URL the title links to.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	TitleLink string `json:"titleLink,omitempty"`

	// pretext is shown above the attachment.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=8192
	Pretext *string `json:"pretext,omitempty"`

	// text is the body of the attachment.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=65536
	Text *string `json:"text,omitempty"`

	// fields are shown as a table in the attachment.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=64
	Fields []SlackField `json:"fields,omitempty"`

	// shortFields is the default of each field's short.
	//
	// +optional
	ShortFields *bool `json:"shortFields,omitempty"`

	// footer is shown below the attachment.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=8192
	Footer *string `json:"footer,omitempty"`

	// fallback is the plain-text summary shown where attachments are not.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=8192
	Fallback *string `json:"fallback,omitempty"`

	// callbackId identifies the message to an app that handles its actions.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	CallbackID *string `json:"callbackId,omitempty"`

	// iconEmoji is the emoji used as the poster's avatar, such as :fire:.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	IconEmoji *string `json:"iconEmoji,omitempty"`

	// iconURL is the image used as the poster's avatar.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	IconURL string `json:"iconURL,omitempty"`

	// imageURL is an image shown in the attachment.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	ImageURL string `json:"imageURL,omitempty"`

	// thumbURL is an image shown as the attachment's thumbnail.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	ThumbURL string `json:"thumbURL,omitempty"`

	// linkNames turns @user and #channel mentions into links.
	//
	// +optional
	LinkNames *bool `json:"linkNames,omitempty"`

	// mrkdwnIn lists the attachment fields Slack formats as markdown, such as
	// pretext, text and fields.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=64
	MrkdwnIn []string `json:"mrkdwnIn,omitempty"`

	// actions are buttons or menus shown with the attachment.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=32
	Actions []SlackAction `json:"actions,omitempty"`

	// httpConfig is how Alertmanager connects to Slack.
	//
	// +optional
	HTTPConfig *HTTPConfig `json:"httpConfig,omitempty"`

	// timeout is how long a request may take before it fails and is retried.
	//
	// +optional
	Timeout *monitoringv1.Duration `json:"timeout,omitempty"`

	// messageText is the message's top-level text, outside the attachment.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=65536
	MessageText *string `json:"messageText,omitempty"`

	// updateMessage edits the message already posted for an alert group
	// instead of posting a new one. It needs a bot token (authorization),
	// not an incoming webhook URL.
	//
	// +optional
	UpdateMessage *bool `json:"updateMessage,omitempty"`
}

// SlackField is one row of the table in a Slack attachment.
type SlackField struct {
	// title of the row.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=8192
	Title string `json:"title"`

	// value of the row.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=8192
	Value string `json:"value"`

	// short lets the row share a line with other short rows.
	//
	// +optional
	Short *bool `json:"short,omitempty"`
}

// SlackAction is a button or menu shown with a Slack attachment.
//
// +kubebuilder:validation:XValidation:rule="(has(self.url) && size(self.url) > 0) || has(self.name)",message="a Slack action needs url or name"
type SlackAction struct {
	// type of the element, such as button.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Type string `json:"type"`

	// text is the element's label.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Text string `json:"text"`

	// url a button opens.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	URL string `json:"url,omitempty"`

	// style of the element: default, primary or danger.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Style *string `json:"style,omitempty"`

	// name identifies the action to the app that handles it.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Name *string `json:"name,omitempty"`

	// value is sent to the app when the action is used.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	Value *string `json:"value,omitempty"`

	// confirm asks the user to confirm before the action runs.
	//
	// +optional
	ConfirmField *SlackConfirmationField `json:"confirm,omitempty"`
}

// SlackConfirmationField is the dialog that asks a user to confirm a Slack
// action.
type SlackConfirmationField struct {
	// text of the question.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Text string `json:"text"`

	// title of the dialog.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Title *string `json:"title,omitempty"`

	// okText labels the confirming button.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	OkText *string `json:"okText,omitempty"`

	// dismissText labels the cancelling button.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	DismissText *string `json:"dismissText,omitempty"`
}
