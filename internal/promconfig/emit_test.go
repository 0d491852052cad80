package promconfig

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	. "github.com/onsi/gomega"
	"go.yaml.in/yaml/v3"
)

// scalarAlphabet holds every character that changes how yaml.v3 writes a
// string: indicators, quotes, signs, digits and the letters of numbers,
// booleans, null and timestamps.
const scalarAlphabet = " -?:,[]{}#&*!|>'\"%@`.+0123456789eExXoObB_tTfFnNyY~aZ/$();="

// TestEmitterScalarsMatchYAMLv3 compares every string of up to three
// characters of scalarAlphabet, in a mapping value and in a flow sequence,
// with what yaml.v3 writes.
func TestEmitterScalarsMatchYAMLv3(t *testing.T) {
	type flowList struct {
		L []string `yaml:"l,flow"`
	}
	var e emitter
	check := func(s string) {
		t.Helper()
		block, err := yaml.Marshal(map[string]string{"k": s})
		if err != nil {
			t.Fatal(err)
		}
		flow, err := yaml.Marshal(flowList{[]string{s}})
		if err != nil {
			t.Fatal(err)
		}
		got, ok := e.scalarString(s, false)
		if !ok || "k: "+got+"\n" != string(block) {
			t.Fatalf("block %q: emitter %q (%v), yaml.v3 %q", s, got, ok, block)
		}
		got, ok = e.scalarString(s, true)
		if !ok || "l: ["+got+"]\n" != string(flow) {
			t.Fatalf("flow %q: emitter %q (%v), yaml.v3 %q", s, got, ok, flow)
		}
	}
	check("")
	a := scalarAlphabet
	for i := range len(a) {
		check(a[i : i+1])
		for j := range len(a) {
			check(a[i:i+1] + a[j:j+1])
			for k := range len(a) {
				check(a[i:i+1] + a[j:j+1] + a[k:k+1])
			}
		}
	}
	for _, s := range []string{
		"30s", "1m30s", "2024-01-02", "2024-1-2 10:00:00", "0x1F", "0o17", "0b101", "-0b1", "1_000", "1e3", "+.inf",
		"190:20:30", "---x", "...x", "a: b", "a #b", "a#b", "x:", "-x", "? x", "$(SHARD);|.+;.+", "(.+);true", "Node;(.*)",
		"yes", "Off", "<<", "=", "${1}", "https://example.com:8443/path?x=1&y=2", " x", "x ",
	} {
		check(s)
	}
}

// TestEmitterMatchesYAMLv3 fills every field of ScrapeConfig and the types
// under it with random values, nil and empty ones included, and compares
// the emitter's output with yaml.v3's; and checks that what it does not
// write is left to yaml.v3.
func TestEmitterMatchesYAMLv3(t *testing.T) {
	g := NewWithT(t)
	r := rand.New(rand.NewPCG(1, 2))
	fast := 0
	for i := range 3000 {
		configs := make([]*ScrapeConfig, 1+r.IntN(3))
		for j := range configs {
			configs[j] = &ScrapeConfig{}
			fill(r, reflect.ValueOf(configs[j]).Elem(), 0)
		}
		items := make([]any, len(configs))
		for j, c := range configs {
			items[j] = c
		}
		want, err := encode(items)
		g.Expect(err).NotTo(HaveOccurred())
		e := emitter{}
		if e.sequence(reflect.ValueOf(configs), 0) {
			fast++
			g.Expect(string(e.buf)).To(Equal(string(want)), "case %d", i)
		}
		got, err := (&emitter{}).encodeJobs(configs)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(string(got)).To(Equal(string(want)), "case %d", i)
	}
	t.Logf("%d of 3000 random job lists took the fast path", fast)
	g.Expect(fast).To(BeNumerically(">", 1000), "most random jobs take the fast path")
}

// fillStrings are the strings fill picks from: ordinary ones, ones yaml.v3
// quotes, and ones the emitter leaves to yaml.v3.
var fillStrings = []string{
	"", "a", "serviceMonitor/ns/name/0", "30s", "10", "0.5", "true", "null", "~", "yes", "on", "-", "- a", ":x", "a: b",
	"a #b", "#a", "[a]", "{a}", "a,b", "'q'", `"q"`, `back\slash`, "(.+);true", "$(SHARD);|.+;.+", "${1}", " lead", "trail ",
	"2024-01-02", "0x10", "1e3", "+1", ".5", ".inf", "---", "...", "k10", "k9", "k09", "K1", "_x", "1a",
}

// multiLineStrings are written as literal block scalars in mapping values
// and left to yaml.v3 elsewhere.
var multiLineStrings = []string{
	"a\nb", "a\n", "a\n\n", "\nlead", "\n", "\n\nx\n\n\ny", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
}

// slowStrings are left to yaml.v3.
var slowStrings = []string{"a \nb", "tab\tx", "caf\u00e9", "x\n "}

// fill sets v, of a type from config_types.go, to random values.
func fill(r *rand.Rand, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		switch r.IntN(200) {
		case 0:
			v.SetString(slowStrings[r.IntN(len(slowStrings))])
		case 1, 2, 3, 4, 5, 6, 7, 8, 9, 10:
			v.SetString(multiLineStrings[r.IntN(len(multiLineStrings))])
		default:
			v.SetString(fillStrings[r.IntN(len(fillStrings))])
		}
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int32, reflect.Int64, reflect.Int:
		v.SetInt([]int64{0, 1, -5, 1000, math.MaxInt32}[r.IntN(5)])
	case reflect.Uint64, reflect.Uint32, reflect.Uint:
		v.SetUint([]uint64{0, 1, 42, math.MaxUint32}[r.IntN(4)])
	case reflect.Float64:
		v.SetFloat([]float64{0, 1.5, 1e21, math.Inf(1), -2, 1.1}[r.IntN(6)])
	case reflect.Pointer:
		if r.IntN(3) == 0 || depth > 6 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(r, v.Elem(), depth+1)
	case reflect.Slice:
		if r.IntN(3) == 0 || depth > 6 {
			return
		}
		n := r.IntN(4)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fill(r, s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		if r.IntN(3) == 0 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for range r.IntN(4) {
			k := reflect.New(v.Type().Key()).Elem()
			fill(r, k, depth+1)
			val := reflect.New(v.Type().Elem()).Elem()
			fill(r, val, depth+1)
			m.SetMapIndex(k, val)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && r.IntN(4) != 0 {
				fill(r, v.Field(i), depth+1)
			}
		}
	case reflect.Interface:
	default:
		panic("fill: unexpected kind " + v.Kind().String())
	}
}

// TestEmitterWritesGoldenJobsFast: the jobs of the golden cases take the
// fast path (bar the few strings the emitter leaves to yaml.v3), so that
// the speed measured is the fast path's.
func TestEmitterWritesGoldenJobsFast(t *testing.T) {
	entries, err := os.ReadDir(casesDir)
	if err != nil {
		t.Fatal(err)
	}
	fast, slow := 0, 0
	for _, entry := range entries {
		in := loadCase(t, filepath.Join(casesDir, entry.Name()))
		g := newGenerator(in)
		if g.classes, err = newScrapeClasses(in.Prometheus, g.secretsFor("Prometheus", in.Prometheus.Namespace, in.Prometheus.Name)); err != nil {
			continue
		}
		for _, tk := range g.tasks() {
			j := tk.run(g)
			e := emitter{}
			switch {
			case j.err != nil:
			case e.sequence(reflect.ValueOf(j.configs), 0):
				fast++
			default:
				slow++
				t.Logf("%s: %s %s/%s is left to yaml.v3", entry.Name(), j.kind, j.namespace, j.name)
			}
		}
	}
	if slow*10 > fast {
		t.Errorf("%d objects' jobs take the fast path, %d are left to yaml.v3", fast, slow)
	}
}

// FuzzEmitter puts arbitrary strings in the places a job holds strings (a
// mapping value, a flow sequence, a block sequence, a map key and value,
// a multi-line mapping value) and checks that the emitter writes what
// yaml.v3 writes, or leaves the job to it.
func FuzzEmitter(f *testing.F) {
	for _, s := range append(fillStrings, multiLineStrings...) {
		f.Add(s, s+"x", "k"+s)
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		configs := []*ScrapeConfig{{
			JobName:        a,
			Params:         map[string][]string{b: {c, a}, c: {b}},
			StaticConfigs:  []*StaticConfig{{Targets: []string{a, b}, Labels: map[string]string{a: c, b: a}}},
			RelabelConfigs: []*RelabelConfig{{SourceLabels: []string{a, b, c}, Regex: b, Replacement: &c}},
			HTTPClient:     HTTPClient{BasicAuth: &BasicAuth{Username: c, Password: a}, TLSConfig: &TLSConfig{CA: b + "\n" + c}},
		}}
		want, err := encode([]any{configs[0]})
		if err != nil {
			t.Skip("yaml.v3 cannot write it")
		}
		e := emitter{}
		if !e.sequence(reflect.ValueOf(configs), 0) {
			return
		}
		if string(e.buf) != string(want) {
			t.Fatalf("emitter:\n%s\nyaml.v3:\n%s", e.buf, want)
		}
	})
}
