package v1alpha1

// MuteTimeInterval is a named set of time intervals that routes refer to.
// Despite the name, routes use it both to mute (muteTimeIntervals) and to
// restrict when they are active (activeTimeIntervals).
type MuteTimeInterval struct {
	// name by which routes refer to the interval; unique within the object.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// timeIntervals are the periods the name stands for; a moment is inside
	// when it is inside any of them.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	TimeIntervals []TimeInterval `json:"timeIntervals,omitempty"`
}

// TimeInterval is a recurring period: a moment is inside when it matches
// every field that is set. An empty TimeInterval matches all the time.
type TimeInterval struct {
	// times are ranges of the time of day.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	Times []TimeRange `json:"times,omitempty"`

	// weekdays are days or ranges of days of the week, such as monday:friday.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=7
	Weekdays []WeekdayRange `json:"weekdays,omitempty"`

	// daysOfMonth are ranges of days of the month; negative days count from
	// the end of the month.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=31
	DaysOfMonth []DayOfMonthRange `json:"daysOfMonth,omitempty"`

	// months are months or ranges of months, by name or number, such as
	// january:march or 1:3.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=12
	Months []MonthRange `json:"months,omitempty"`

	// years are years or ranges of years, such as 2026:2027.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	Years []YearRange `json:"years,omitempty"`
}

// Time is a time of day as HH:MM in 24-hour notation; 24:00 is the end of
// the day.
//
// +kubebuilder:validation:MaxLength=5
// +kubebuilder:validation:Pattern=`^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$`
type Time string

// TimeRange is the part of a day from startTime (included) to endTime
// (excluded).
//
// +kubebuilder:validation:XValidation:rule="has(self.startTime) && has(self.endTime)",message="startTime and endTime are both required"
// +kubebuilder:validation:XValidation:rule="!has(self.startTime) || !has(self.endTime) || self.startTime < self.endTime",message="startTime must be before endTime"
type TimeRange struct {
	// startTime is where the range begins, such as 09:00.
	//
	// +optional
	StartTime Time `json:"startTime,omitempty"`

	// endTime is where the range ends, such as 17:30.
	//
	// +optional
	EndTime Time `json:"endTime,omitempty"`
}

// WeekdayRange is a day of the week or an inclusive range of days, such as
// saturday or monday:friday. Names are case-insensitive.
//
// +kubebuilder:validation:MaxLength=32
// +kubebuilder:validation:Pattern=`^(?i)(sun|mon|tues|wednes|thurs|fri|satur)day(:(sun|mon|tues|wednes|thurs|fri|satur)day)?$`
type WeekdayRange string

// DayOfMonthRange is an inclusive range of days of the month. -1 is the
// last day of the month, -2 the one before, and so on.
type DayOfMonthRange struct {
	// start is the first day of the range.
	//
	// +optional
	// +kubebuilder:validation:Minimum=-31
	// +kubebuilder:validation:Maximum=31
	Start int `json:"start,omitempty"`

	// end is the last day of the range.
	//
	// +optional
	// +kubebuilder:validation:Minimum=-31
	// +kubebuilder:validation:Maximum=31
	End int `json:"end,omitempty"`
}

// MonthRange is a month or an inclusive range of months, by case-insensitive
// name or by number from 1, such as december, 1:3 or april:june.
//
// +kubebuilder:validation:MaxLength=32
// +kubebuilder:validation:Pattern=`^(?i)(january|february|march|april|may|june|july|august|september|october|november|december|1[0-2]|[1-9])(:(january|february|march|april|may|june|july|august|september|october|november|december|1[0-2]|[1-9]))?$`
type MonthRange string

// YearRange is a year or an inclusive range of years, such as 2026 or
// 2026:2028.
//
// +kubebuilder:validation:MaxLength=9
// +kubebuilder:validation:Pattern=`^2[0-9]{3}(:2[0-9]{3})?$`
type YearRange string
