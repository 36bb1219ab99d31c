// Cutting one file: find the functions marked for the stage, put a stub in
// place of each body, and drop the imports only those bodies used.
package main

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// Part is one function a student writes.
type Part struct {
	File string
	Line int
	Func string
	Hint string
	Fail bool // the stub returns an error (or panics) rather than doing nothing

	body  [2]int   // the body's byte offsets, braces included
	types []string // the result types, one per value returned
}

func (p Part) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Func, p.Hint)
}

// findParts lists the functions in one file marked //lab:NN for stage.
func findParts(rel string, src []byte, stage string) ([]Part, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var parts []Part
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Doc == nil {
			continue
		}
		hint, fail, ok := marker(fn.Doc, stage)
		if !ok {
			continue
		}
		if fn.Body == nil {
			return nil, fmt.Errorf("%s: %s is marked for lab %s but has no body", fset.Position(fn.Pos()), fn.Name.Name, stage)
		}
		parts = append(parts, Part{
			File:  rel,
			Line:  fset.Position(fn.Pos()).Line,
			Func:  funcName(fn),
			Hint:  hint,
			Fail:  fail,
			body:  [2]int{fset.Position(fn.Body.Lbrace).Offset, fset.Position(fn.Body.Rbrace).Offset + 1},
			types: resultTypes(fset, src, fn),
		})
	}
	return parts, nil
}

// marker reads a //lab:NN[,fail] hint directive from a doc comment.
func marker(doc *ast.CommentGroup, stage string) (hint string, fail, ok bool) {
	for _, c := range doc.List {
		rest, found := strings.CutPrefix(c.Text, "//lab:"+stage)
		if !found {
			continue
		}
		rest, fail = strings.CutPrefix(rest, ",fail")
		if rest == "" || rest[0] != ' ' {
			continue // //lab:012 is not lab 01
		}
		return strings.TrimSpace(rest), fail, true
	}
	return "", false, false
}

// funcName is a function's name as a reader looks for it: (*T).M or F.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	star := ""
	if s, ok := t.(*ast.StarExpr); ok {
		t, star = s.X, "*"
	}
	if g, ok := t.(*ast.IndexExpr); ok {
		t = g.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return fmt.Sprintf("(%s%s).%s", star, id.Name, fn.Name.Name)
	}
	return fn.Name.Name
}

// resultTypes spells each value a function returns, as its source does.
func resultTypes(fset *token.FileSet, src []byte, fn *ast.FuncDecl) []string {
	if fn.Type.Results == nil {
		return nil
	}
	var types []string
	for _, field := range fn.Type.Results.List {
		text := string(src[fset.Position(field.Type.Pos()).Offset:fset.Position(field.Type.End()).Offset])
		for range max(len(field.Names), 1) {
			types = append(types, text)
		}
	}
	return types
}

// cut replaces the bodies of the stage's parts with stubs.
func cut(rel string, src []byte, stage, lab string, names map[string]string) ([]byte, []Part, error) {
	parts, err := findParts(rel, src, stage)
	if err != nil || len(parts) == 0 {
		return src, nil, err
	}
	out := append([]byte(nil), src...)
	for i := len(parts) - 1; i >= 0; i-- { // from the end, so offsets hold
		p := parts[i]
		stub := []byte(stubBody(p, stage, lab))
		out = append(out[:p.body[0]], append(stub, out[p.body[1]:]...)...)
	}
	out, err = fixImports(rel, out, names)
	if err != nil {
		return nil, nil, err
	}
	return out, parts, nil
}

// stubBody is the body that takes a part's place: the hint as a TODO, and
// what to return meanwhile.
func stubBody(p Part, stage, lab string) string {
	todo := fmt.Sprintf("TODO(lab %s): %s", stage, p.Hint)
	var b strings.Builder
	fmt.Fprintf(&b, "{\n\t// %s\n\t// %s, \"Build it yourself\", says how; the doc comment above says what.\n", todo, lab)
	n := len(p.types)
	returnsErr := n > 0 && p.types[n-1] == "error"
	values := make([]string, n)
	for i, t := range p.types {
		values[i] = "*new(" + t + ")"
		if i == n-1 && returnsErr {
			values[i] = "nil"
			if p.Fail {
				values[i] = "errors.New(" + strconv.Quote(todo) + ")"
			}
		}
	}
	switch {
	case p.Fail && !returnsErr:
		fmt.Fprintf(&b, "\tpanic(%s)\n", strconv.Quote(todo))
	case n > 0:
		fmt.Fprintf(&b, "\treturn %s\n", strings.Join(values, ", "))
	}
	b.WriteString("}")
	return b.String()
}

// fixImports adds "errors" where a stub needs it and removes the imports no
// code in the file uses any more, then formats the file as gofmt would.
func fixImports(rel string, src []byte, names map[string]string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("the cut %s does not parse: %w", rel, err)
	}
	used := usedNames(f)
	var drop [][2]int
	have := map[string]bool{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		have[path] = true
		name := names[path]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if name == "" {
			name = path[strings.LastIndex(path, "/")+1:]
		}
		if name == "_" || name == "." || used[name] {
			continue
		}
		drop = append(drop, [2]int{lineStart(src, fset.Position(imp.Pos()).Offset), lineEnd(src, fset.Position(imp.End()).Offset)})
	}
	sort.Slice(drop, func(i, j int) bool { return drop[i][0] > drop[j][0] })
	for _, d := range drop {
		src = append(src[:d[0]], src[d[1]:]...)
	}
	if used["errors"] && !have["errors"] {
		src = addImport(src, f, fset, "errors")
	}
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("the cut %s does not format: %w", rel, err)
	}
	return out, nil
}

// usedNames are the package names a file's code refers to: the X of each
// X.Sel whose X the parser did not resolve to a declaration in the file.
func usedNames(f *ast.File) map[string]bool {
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil {
				used[id.Name] = true
			}
		}
		return true
	})
	return used
}

// addImport puts path into the file's imports, opening a block of its own
// after the package clause if the file has none.
func addImport(src []byte, f *ast.File, fset *token.FileSet, path string) []byte {
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT && g.Lparen.IsValid() {
			at := fset.Position(g.Lparen).Offset + 1
			return append(src[:at:at], append([]byte("\n\t"+strconv.Quote(path)+"\n"), src[at:]...)...)
		}
	}
	at := fset.Position(f.Name.End()).Offset
	return append(src[:at:at], append([]byte("\n\nimport "+strconv.Quote(path)+"\n"), src[at:]...)...)
}

func lineStart(src []byte, i int) int {
	for i > 0 && src[i-1] != '\n' {
		i--
	}
	return i
}

func lineEnd(src []byte, i int) int {
	for i < len(src) && src[i] != '\n' {
		i++
	}
	if i < len(src) {
		i++
	}
	return i
}
