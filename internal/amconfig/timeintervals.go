package amconfig

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// timeInterval is a named entry of Alertmanager's time_intervals.
type timeInterval struct {
	Name          string             `yaml:"name"`
	TimeIntervals []timeIntervalSpec `yaml:"time_intervals"`
}

// timeIntervalSpec is one recurring period, in the string forms
// Alertmanager's timeinterval package reads ("monday:friday", "-3:-1").
type timeIntervalSpec struct {
	Times       []timeRange `yaml:"times,omitempty"`
	Weekdays    []string    `yaml:"weekdays,flow,omitempty"`
	DaysOfMonth []string    `yaml:"days_of_month,flow,omitempty"`
	Months      []string    `yaml:"months,flow,omitempty"`
	Years       []string    `yaml:"years,flow,omitempty"`
}

type timeRange struct {
	StartTime string `yaml:"start_time"`
	EndTime   string `yaml:"end_time"`
}

// convertTimeInterval converts one named interval. Values are checked by
// Alertmanager's loader, whose messages say what is wrong with them.
func convertTimeInterval(in *monitoringv1alpha1.MuteTimeInterval, prefix string) (*timeInterval, error) {
	out := &timeInterval{Name: prefix + in.Name, TimeIntervals: []timeIntervalSpec{}}
	for i, ti := range in.TimeIntervals {
		spec, err := convertTimeIntervalSpec(&ti)
		if err != nil {
			return nil, fmt.Errorf("timeIntervals[%d]: %w", i, err)
		}
		out.TimeIntervals = append(out.TimeIntervals, spec)
	}
	return out, nil
}

func convertTimeIntervalSpec(in *monitoringv1alpha1.TimeInterval) (timeIntervalSpec, error) {
	var out timeIntervalSpec
	for _, t := range in.Times {
		out.Times = append(out.Times, timeRange{StartTime: string(t.StartTime), EndTime: string(t.EndTime)})
	}
	for _, w := range in.Weekdays {
		out.Weekdays = append(out.Weekdays, strings.ToLower(string(w)))
	}
	for i, d := range in.DaysOfMonth {
		if d.Start == 0 {
			return out, fmt.Errorf("daysOfMonth[%d]: %w", i, errors.New("start is required"))
		}
		// An unset end means the range is the start day alone.
		if d.End == 0 || d.End == d.Start {
			out.DaysOfMonth = append(out.DaysOfMonth, strconv.Itoa(d.Start))
			continue
		}
		out.DaysOfMonth = append(out.DaysOfMonth, strconv.Itoa(d.Start)+":"+strconv.Itoa(d.End))
	}
	for _, m := range in.Months {
		out.Months = append(out.Months, strings.ToLower(string(m)))
	}
	for _, y := range in.Years {
		out.Years = append(out.Years, string(y))
	}
	return out, nil
}
