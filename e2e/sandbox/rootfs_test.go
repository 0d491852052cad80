package sandbox

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestResolveIn(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"run", "etc/app", "usr/lib"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"var/run":      "/run",        // absolute: relative to root, not the host
		"lib":          "usr/lib",     // relative
		"etc/up":       "../usr",      // relative with ..
		"etc/dangling": "/nowhere/x",  // target missing
		"etc/escape":   "../../../..", // cannot leave root
		"etc/loop":     "loop",
	}
	if err := os.MkdirAll(filepath.Join(root, "var"), 0o755); err != nil {
		t.Fatal(err)
	}
	for l, target := range links {
		if err := os.Symlink(target, filepath.Join(root, l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "etc/file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path         string
		wantExisting string
		wantMissing  []string
		wantErr      bool
	}{
		{path: "/etc/app", wantExisting: "/etc/app"},
		{path: "/prometheus", wantExisting: "/", wantMissing: []string{"prometheus"}},
		{path: "/etc/prometheus/config_out", wantExisting: "/etc", wantMissing: []string{"prometheus", "config_out"}},
		{path: "/var/run/secrets/token", wantExisting: "/run", wantMissing: []string{"secrets", "token"}},
		{path: "/lib/x", wantExisting: "/usr/lib", wantMissing: []string{"x"}},
		{path: "/etc/up/lib", wantExisting: "/usr/lib"},
		{path: "/etc/dangling/y", wantExisting: "/", wantMissing: []string{"nowhere", "x", "y"}},
		{path: "/etc/escape/etc", wantExisting: "/etc"},
		{path: "/etc/../etc/./app/", wantExisting: "/etc/app"},
		{path: "/etc/file", wantExisting: "/etc/file"},
		{path: "/etc/file/below", wantErr: true},
		{path: "/etc/loop/x", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			existing, missing, err := resolveIn(root, tt.path)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if existing != tt.wantExisting || !slices.Equal(missing, tt.wantMissing) {
				t.Errorf("resolveIn = %q %q, want %q %q", existing, missing, tt.wantExisting, tt.wantMissing)
			}
		})
	}
}

func TestUnescapeOctal(t *testing.T) {
	for in, want := range map[string]string{`/a\040b`: "/a b", `/plain`: "/plain", `/tab\011`: "/tab\t", `/bad\09`: `/bad\09`, `/end\`: `/end\`} {
		if got := unescapeOctal(in); got != want {
			t.Errorf("unescapeOctal(%q) = %q, want %q", in, got, want)
		}
	}
}
