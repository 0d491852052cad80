package restart_test

import (
	"sigs.k8s.io/controller-runtime/pkg/config"
)

// ctrlConfig lets controllers of the same name run in two managers of one
// process, one after the other.
func ctrlConfig() config.Controller {
	return config.Controller{SkipNameValidation: ptr(true)}
}

func ptr[T any](v T) *T { return &v }
