package fielduse

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
)

// funcs indexes the functions of the repository's Go sources (tests and
// hack/ left out) by reference, such as internal/promconfig.newGenerator or
// internal/promconfig.(*generator).serviceMonitorJob, each with the names
// its body selects (x.Name) or sets in composite literals (Name: ...).
type funcs map[string]map[string]bool

// funcRef is a reference to a function as the table writes it: a package
// folder, then a function or a method with its receiver.
var funcRef = regexp.MustCompile(`^([a-z0-9_]+(?:/[a-z0-9_.-]+)*)\.(?:\((\*?)([A-Za-z_]\w*)\)\.)?([A-Za-z_]\w*)$`)

func indexFuncs(root string) (funcs, error) {
	out := funcs{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "hack" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			out[filepath.ToSlash(rel)+"."+funcName(fn)] = mentions(fn.Body)
		}
		return nil
	})
	return out, err
}

// funcName is Name, or (T).Name or (*T).Name for a method.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	star := ""
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = "*", s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	id, _ := t.(*ast.Ident)
	if id == nil {
		return fn.Name.Name
	}
	return "(" + star + id.Name + ")." + fn.Name.Name
}

// mentions collects the field names a function body reads or sets.
func mentions(body *ast.BlockStmt) map[string]bool {
	out := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			out[x.Sel.Name] = true
		case *ast.KeyValueExpr:
			if id, ok := x.Key.(*ast.Ident); ok {
				out[id.Name] = true
			}
		}
		return true
	})
	return out
}

// lookup finds a function by the table's reference; a method may be
// written with or without the pointer of its receiver.
func (f funcs) lookup(ref string) (map[string]bool, error) {
	m := funcRef.FindStringSubmatch(ref)
	if m == nil {
		return nil, fmt.Errorf("%q is not <package folder>.<function> or <package folder>.(*<type>).<method>", ref)
	}
	pkg, recv, name := m[1], m[3], m[4]
	if recv == "" {
		if body, ok := f[pkg+"."+name]; ok {
			return body, nil
		}
	} else {
		for _, star := range []string{"*", ""} {
			if body, ok := f[pkg+".("+star+recv+")."+name]; ok {
				return body, nil
			}
		}
	}
	return nil, fmt.Errorf("no function %s in the repository's sources", ref)
}
