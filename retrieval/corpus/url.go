package corpus

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// URLTemplate makes the address where a person reads a passage from a
// template such as "https://github.com/org/docs/blob/main/{path}#L{line}"
// or "https://docs.example.org/{path_noext}". Its fields:
//
//	{path}        the document's path in the folder ("guide/install.md")
//	{path_noext}  the same without its extension ("guide/install")
//	{line}        the passage's first line (paragraph in a DOCX)
//	{page}        the PDF page, 1-based (1 for other formats)
//
// The zero URLTemplate makes no address.
type URLTemplate struct{ raw string }

// templateFields are the fields a template may use.
var templateFields = []string{"{path}", "{path_noext}", "{line}", "{page}"}

// ParseURLTemplate checks a template: an absolute http or https address
// whose only braces are the fields above. "" is the zero template.
func ParseURLTemplate(s string) (URLTemplate, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return URLTemplate{}, nil
	}
	rest := s
	for _, f := range templateFields {
		rest = strings.ReplaceAll(rest, f, "x")
	}
	if strings.ContainsAny(rest, "{}") {
		return URLTemplate{}, fmt.Errorf("unknown field in %q: use {path}, {path_noext}, {line} or {page}", s)
	}
	u, err := url.Parse(rest)
	if err != nil {
		return URLTemplate{}, fmt.Errorf("%q: %w", s, errors.Unwrap(err))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return URLTemplate{}, fmt.Errorf("%q: want an http:// or https:// address", s)
	}
	if u.User != nil {
		return URLTemplate{}, fmt.Errorf("%q: an address with a user name or password is not allowed", s)
	}
	return URLTemplate{raw: s}, nil
}

// String returns the template as given.
func (t URLTemplate) String() string { return t.raw }

// Expand returns the address of a passage, its path escaped segment by
// segment; "" for the zero template.
func (t URLTemplate) Expand(source string, line, page int) string {
	if t.raw == "" {
		return ""
	}
	noext := strings.TrimSuffix(source, path.Ext(source))
	return SafeURL(strings.NewReplacer(
		"{path}", escapePath(source),
		"{path_noext}", escapePath(noext),
		"{line}", strconv.Itoa(max(line, 1)),
		"{page}", strconv.Itoa(max(page, 1)),
	).Replace(t.raw))
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// SafeURL returns s when it is an absolute http or https address without
// user information, in a form safe to put in a Markdown link (no spaces,
// parentheses, angle brackets or quotes); "" otherwise. Front matter
// addresses pass through it.
func SafeURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	out := u.String()
	return strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E", " ", "%20",
		"\"", "%22", "'", "%27", "`", "%60", "[", "%5B", "]", "%5D", "\\", "%5C", "|", "%7C").Replace(out)
}
