package reloader

// Gzip compresses s, as the operator writes prometheus.yaml.gz.
func Gzip(s string) []byte { return gz(s) }
