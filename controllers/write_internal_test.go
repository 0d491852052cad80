package controllers

import (
	"bytes"
	"testing"
)

// TestGunzipsTo compares a gzipped value with a plain one as it
// decompresses, across the reader's 64 KiB chunks.
func TestGunzipsTo(t *testing.T) {
	big := bytes.Repeat([]byte("- job_name: serviceMonitor/team-00/app-00000/0\n"), 5000)
	changed := bytes.Clone(big)
	changed[len(changed)-2] = 'x'
	for _, tc := range []struct {
		name        string
		data, plain []byte
		want        bool
	}{
		{"equal", gz(big), big, true},
		{"empty", gz(nil), nil, true},
		{"one byte changed at the end", gz(changed), big, false},
		{"plain longer", gz(big[:len(big)-1]), big, false},
		{"plain shorter", gz(big), big[:len(big)-1], false},
		{"plain shorter by a chunk", gz(big), big[:64<<10], false},
		{"not gzip", big, big, false},
		{"nothing for something", nil, big, false},
	} {
		if got := gunzipsTo(tc.data, tc.plain); got != tc.want {
			t.Errorf("%s: gunzipsTo = %v, want %v", tc.name, got, tc.want)
		}
	}
}
