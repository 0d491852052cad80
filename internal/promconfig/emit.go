package promconfig

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// encodeJobs writes an object's scrape configs as a YAML sequence, exactly
// as encode (yaml.v3's encoder) writes them. Most jobs take the fast path
// below, several times quicker than yaml.v3's event pipeline; a job with a
// value it does not write (a string yaml.v3 would escape, a multi-line
// string outside a mapping value) goes to yaml.v3 whole.
// TestEmitterMatchesYAMLv3 holds the two equal.
func (e *emitter) encodeJobs(configs []*ScrapeConfig) ([]byte, error) {
	if len(configs) == 0 {
		return nil, nil
	}
	e.buf = e.buf[:0]
	if e.sequence(reflect.ValueOf(configs), 0) {
		return slices.Clone(e.buf), nil
	}
	items := make([]any, len(configs))
	for i, c := range configs {
		items[i] = c
	}
	return encode(items)
}

// emitter writes the block-style YAML of yaml.v3's encoder with indent 2
// (Vigil's encode) for the structures of config_types.go: structs with
// yaml tags (omitempty, flow, inline), pointers, slices, maps with string
// keys, strings, bools, integers and floats. Each method returns false
// when it meets a value it cannot write exactly as yaml.v3 does; the
// caller then encodes with yaml.v3.
type emitter struct {
	buf []byte
	// resolved memoizes yamlV3Scalar for strings that may read as numbers
	// or timestamps, which only yaml.v3's resolver decides cheaply and
	// exactly.
	resolved map[string]string
}

// mapping writes v (a struct or a map) as a block mapping whose keys start
// at column indent. inline says the first key follows a "- " already
// written.
func (e *emitter) mapping(v reflect.Value, indent int, inline bool) bool {
	first := true
	entry := func(key string, val reflect.Value, flow bool) bool {
		if !first || !inline {
			e.spaces(indent)
		}
		first = false
		e.buf = append(e.buf, key...)
		e.buf = append(e.buf, ':')
		return e.value(val, indent, flow)
	}
	switch v.Kind() {
	case reflect.Struct:
		for _, f := range planOf(v.Type()).fields {
			fv := v.FieldByIndex(f.index)
			if f.omitEmpty && isEmptyValue(fv) {
				continue
			}
			if !entry(f.key, fv, f.flow) {
				return false
			}
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return false
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			switch {
			case keyLess(a.String(), b.String()):
				return -1
			case keyLess(b.String(), a.String()):
				return 1
			}
			return 0
		})
		for _, k := range keys {
			key, ok := e.scalarString(k.String(), false)
			if !ok || len(k.String()) > 128 {
				return false
			}
			if !entry(key, v.MapIndex(k), false) {
				return false
			}
		}
	default:
		return false
	}
	// Callers write an empty mapping ({}) themselves.
	return !first
}

// value writes what follows "key:" in a block mapping whose keys start at
// column indent.
func (e *emitter) value(v reflect.Value, indent int, flow bool) bool {
	v, isNull := deref(v)
	switch {
	case isNull:
		e.buf = append(e.buf, " null\n"...)
		return true
	case v.Kind() == reflect.String && strings.Contains(v.String(), "\n"):
		return !flow && e.literal(v.String(), indent+2)
	case isScalarKind(v.Kind()):
		e.buf = append(e.buf, ' ')
		if !e.scalar(v, flow) {
			return false
		}
		e.buf = append(e.buf, '\n')
		return true
	case isEmptyCollection(v):
		if v.Kind() == reflect.Slice {
			e.buf = append(e.buf, " []\n"...)
		} else {
			e.buf = append(e.buf, " {}\n"...)
		}
		return true
	case flow:
		return v.Kind() == reflect.Slice && e.flowSequence(v)
	case v.Kind() == reflect.Slice:
		e.buf = append(e.buf, '\n')
		return e.sequence(v, indent+2)
	}
	e.buf = append(e.buf, '\n')
	return e.mapping(v, indent+2, false)
}

// sequence writes the block sequence v with its dashes at column indent.
func (e *emitter) sequence(v reflect.Value, indent int) bool {
	if v.Kind() != reflect.Slice {
		return false
	}
	for i := range v.Len() {
		e.spaces(indent)
		e.buf = append(e.buf, "- "...)
		item, isNull := deref(v.Index(i))
		switch {
		case isNull:
			e.buf = append(e.buf, "null\n"...)
		case isScalarKind(item.Kind()):
			if item.Kind() == reflect.String && strings.Contains(item.String(), "\n") {
				return false
			}
			if !e.scalar(item, false) {
				return false
			}
			e.buf = append(e.buf, '\n')
		case isEmptyCollection(item):
			if item.Kind() == reflect.Slice {
				e.buf = append(e.buf, "[]\n"...)
			} else {
				e.buf = append(e.buf, "{}\n"...)
			}
		case item.Kind() == reflect.Struct || item.Kind() == reflect.Map:
			if !e.mapping(item, indent+2, true) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// flowSequence writes a non-empty sequence of scalars as " [a, b]\n".
func (e *emitter) flowSequence(v reflect.Value) bool {
	e.buf = append(e.buf, " ["...)
	for i := range v.Len() {
		if i > 0 {
			e.buf = append(e.buf, ", "...)
		}
		item, isNull := deref(v.Index(i))
		switch {
		case isNull:
			e.buf = append(e.buf, "null"...)
		case !isScalarKind(item.Kind()):
			return false
		case !e.scalar(item, true):
			return false
		}
	}
	e.buf = append(e.buf, "]\n"...)
	return true
}

// scalar writes a string, bool or number.
func (e *emitter) scalar(v reflect.Value, flow bool) bool {
	switch v.Kind() {
	case reflect.String:
		s, ok := e.scalarString(v.String(), flow)
		e.buf = append(e.buf, s...)
		return ok
	case reflect.Bool:
		e.buf = strconv.AppendBool(e.buf, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		bits := 64
		if v.Kind() == reflect.Float32 {
			bits = 32
		}
		switch s := strconv.FormatFloat(v.Float(), 'g', -1, bits); s {
		case "+Inf":
			e.buf = append(e.buf, ".inf"...)
		case "-Inf":
			e.buf = append(e.buf, "-.inf"...)
		case "NaN":
			e.buf = append(e.buf, ".nan"...)
		default:
			e.buf = append(e.buf, s...)
		}
	default:
		return false
	}
	return true
}

// scalarString is how yaml.v3 writes the one-line string s in a block
// context (a mapping value or key, a sequence item) or a flow sequence:
// plain when s reads back as the same string and has no indicator that
// the context forbids, double-quoted when it would read as another type
// (a number, a bool, null), single-quoted otherwise. It handles printable
// ASCII without tabs; ok is false for anything else.
func (e *emitter) scalarString(s string, flow bool) (out string, ok bool) {
	if s == "" {
		return `""`, true
	}
	printable, block, flowOK := analyze(s)
	if !printable {
		return "", false
	}
	switch resolveTable[s[0]] {
	case 'D', 'S':
		// Digits and signs may start an int, a float, a timestamp or a
		// base 60 float: let yaml.v3 decide, once per string.
		r, ok := e.resolved[s]
		if !ok {
			if r, ok = yamlV3Scalar(s); !ok {
				return "", false
			}
			if e.resolved == nil {
				e.resolved = map[string]string{}
			}
			e.resolved[s] = r
		}
		if r != s || !flow {
			return r, true
		}
	case 'M', '.':
		if resolvesToOther(s) {
			return doubleQuoted(s), true
		}
	}
	if isOldBool(s) {
		return doubleQuoted(s), true
	}
	if flowOK || block && !flow {
		return s, true
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", true
}

// literal writes a multi-line string as yaml.v3 does in a mapping value: a
// literal block scalar whose lines start at column indent. Strings with a
// trailing space, a space before a line break or other than printable
// ASCII are yaml.v3's to write.
func (e *emitter) literal(s string, indent int) bool {
	if s[len(s)-1] == ' ' || strings.Contains(s, " \n") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < 0x20 && s[i] != '\n') || s[i] > 0x7e {
			return false
		}
	}
	e.buf = append(e.buf, " |"...)
	if s[0] == ' ' || s[0] == '\n' {
		e.buf = append(e.buf, '2')
	}
	switch {
	case s[len(s)-1] != '\n':
		e.buf = append(e.buf, '-')
	case len(s) == 1 || s[len(s)-2] == '\n':
		e.buf = append(e.buf, '+')
	}
	e.buf = append(e.buf, '\n')
	for line := range strings.SplitSeq(strings.TrimSuffix(s, "\n"), "\n") {
		if line != "" {
			e.spaces(indent)
			e.buf = append(e.buf, line...)
		}
		e.buf = append(e.buf, '\n')
	}
	return true
}

func (e *emitter) spaces(n int) {
	for range n {
		e.buf = append(e.buf, ' ')
	}
}

// yamlV3Scalar is how yaml.v3 writes the one-line string s as a value.
func yamlV3Scalar(s string) (string, bool) {
	out, err := yaml.Marshal(s)
	if err != nil || len(out) == 0 || out[len(out)-1] != '\n' || strings.Count(string(out), "\n") != 1 {
		return "", false
	}
	return string(out[:len(out)-1]), true
}

// resolveTable is yaml.v3's first-character hint of what a plain scalar
// may resolve to: S sign, D digit, M a word in its table, . a float.
var resolveTable = func() (t [256]byte) {
	t['+'], t['-'] = 'S', 'S'
	for c := '0'; c <= '9'; c++ {
		t[c] = 'D'
	}
	for _, c := range "yYnNtTfFoO~" {
		t[c] = 'M'
	}
	t['.'] = '.'
	return t
}()

// resolvesToOther says whether s, starting with a letter of yaml.v3's
// table or a dot, reads as a bool, null or float when plain.
func resolvesToOther(s string) bool {
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE", "~", "null", "Null", "NULL",
		".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF":
		return true
	}
	if s[0] == '.' {
		_, err := strconv.ParseFloat(s, 64)
		return err == nil
	}
	return false
}

// isOldBool is yaml.v3's list of YAML 1.1 booleans, which it quotes.
func isOldBool(s string) bool {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
		"n", "N", "no", "No", "NO", "off", "Off", "OFF":
		return true
	}
	return false
}

// analyze is yaml.v3's analysis (yaml_emitter_analyze_scalar) of a
// non-empty one-line string, for the strings the emitter writes: whether
// it is printable ASCII without tabs, and whether it may be written plain
// in a block context and in a flow context.
func analyze(s string) (printable, block, flow bool) {
	blockInd, flowInd := s[0] == ' ' || s[len(s)-1] == ' ', false
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		blockInd = true
	}
	precededBySpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return false, false, false
		}
		followedBySpace := i+1 >= len(s) || s[i+1] == ' '
		if i == 0 {
			switch c {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				blockInd = true
			case '?', ':':
				flowInd = true
				blockInd = blockInd || followedBySpace
			case '-':
				blockInd = blockInd || followedBySpace
			}
		} else {
			switch c {
			case ',', '?', '[', ']', '{', '}':
				flowInd = true
			case ':':
				flowInd = true
				blockInd = blockInd || followedBySpace
			case '#':
				blockInd = blockInd || precededBySpace
			}
		}
		precededBySpace = c == ' '
	}
	return true, !blockInd, !blockInd && !flowInd
}

// doubleQuoted writes printable ASCII as yaml.v3 does in double quotes.
func doubleQuoted(s string) string {
	if !strings.ContainsAny(s, `"\`) {
		return `"` + s + `"`
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// keyLess is yaml.v3's order of string map keys (sorter.go): letters
// before digits after a common digit, runs of digits by their number.
func keyLess(a, b string) bool {
	ar, br := []rune(a), []rune(b)
	digits := false
	for i := 0; i < len(ar) && i < len(br); i++ {
		if ar[i] == br[i] {
			digits = unicode.IsDigit(ar[i])
			continue
		}
		al := unicode.IsLetter(ar[i])
		bl := unicode.IsLetter(br[i])
		if al && bl {
			return ar[i] < br[i]
		}
		if al || bl {
			if digits {
				return al
			}
			return bl
		}
		var ai, bi int
		var an, bn int64
		if ar[i] == '0' || br[i] == '0' {
			for j := i - 1; j >= 0 && unicode.IsDigit(ar[j]); j-- {
				if ar[j] != '0' {
					an = 1
					bn = 1
					break
				}
			}
		}
		for ai = i; ai < len(ar) && unicode.IsDigit(ar[ai]); ai++ {
			an = an*10 + int64(ar[ai]-'0')
		}
		for bi = i; bi < len(br) && unicode.IsDigit(br[bi]); bi++ {
			bn = bn*10 + int64(br[bi]-'0')
		}
		if an != bn {
			return an < bn
		}
		if ai != bi {
			return ai < bi
		}
		return ar[i] < br[i]
	}
	return len(ar) < len(br)
}

// deref follows pointers and interfaces; isNull says it met nil.
func deref(v reflect.Value) (_ reflect.Value, isNull bool) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return v, true
		}
		v = v.Elem()
	}
	return v, false
}

func isScalarKind(k reflect.Kind) bool {
	switch k {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// isEmptyCollection says v is a slice or map without elements, or a
// struct all of whose fields are left out, which yaml.v3 writes as [] or
// {}.
func isEmptyCollection(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Struct:
		for _, f := range planOf(v.Type()).fields {
			if !f.omitEmpty || !isEmptyValue(v.FieldByIndex(f.index)) {
				return false
			}
		}
		return true
	}
	return false
}

// isEmptyValue is yaml.v3's isZero for the kinds Vigil's types use, which
// decides what omitempty leaves out.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && !isEmptyValue(v.Field(i)) {
				return false
			}
		}
		return true
	}
	return false
}

// structPlan is a struct's fields in yaml.v3's order, inline structs
// flattened in place.
type structPlan struct{ fields []fieldPlan }

type fieldPlan struct {
	index           []int
	key             string
	omitEmpty, flow bool
}

var plans sync.Map // reflect.Type -> *structPlan

func planOf(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{}
	appendFields(p, t, nil)
	plans.Store(t, p)
	return p
}

func appendFields(p *structPlan, t reflect.Type, prefix []int) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		index := append(slices.Clone(prefix), i)
		if strings.Contains(","+opts+",", ",inline,") {
			appendFields(p, f.Type, index)
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		p.fields = append(p.fields, fieldPlan{
			index:     index,
			key:       name,
			omitEmpty: strings.Contains(","+opts+",", ",omitempty,"),
			flow:      strings.Contains(","+opts+",", ",flow,"),
		})
	}
}
