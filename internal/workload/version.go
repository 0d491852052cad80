package workload

import (
	"fmt"
	"regexp"
	"strconv"
)

// version is a Prometheus or Alertmanager release, read as tolerantly as
// Prometheus Operator reads spec.version: a leading v, and a missing patch
// (or minor) number, are accepted.
type version struct {
	major, minor, patch int
	pre                 string // pre-release, such as rc.0
}

var versionRE = regexp.MustCompile(`^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$`)

func parseVersion(s string) (version, error) {
	m := versionRE.FindStringSubmatch(s)
	if m == nil {
		return version{}, fmt.Errorf("version %q is not a release number such as v3.5.0", s)
	}
	var v version
	for i, dst := range []*int{&v.major, &v.minor, &v.patch} {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.Atoi(m[i+1])
		if err != nil {
			return version{}, fmt.Errorf("version %q: %w", s, err)
		}
		*dst = n
	}
	v.pre = m[4]
	return v, nil
}

func mustParseVersion(s string) version {
	v, err := parseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// String is the version without the v: 3.5.0, 3.5.0-rc.0.
func (v version) String() string {
	s := fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch)
	if v.pre != "" {
		s += "-" + v.pre
	}
	return s
}

// tag is the image tag of the version: v3.5.0.
func (v version) tag() string { return "v" + v.String() }

// compare is -1, 0 or 1 as v is older than, the same as or newer than o. A
// pre-release is older than its release.
func (v version) compare(o version) int {
	for _, d := range []int{v.major - o.major, v.minor - o.minor, v.patch - o.patch} {
		if d != 0 {
			if d < 0 {
				return -1
			}
			return 1
		}
	}
	switch {
	case v.pre == o.pre:
		return 0
	case v.pre == "":
		return 1
	case o.pre == "":
		return -1
	case v.pre < o.pre:
		return -1
	}
	return 1
}

// atLeast says whether v is s or newer.
func (v version) atLeast(s string) bool { return v.compare(mustParseVersion(s)) >= 0 }
