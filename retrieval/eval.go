package retrieval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// EvalCase is one line of an evaluation set (JSON Lines).
type EvalCase struct {
	Q        string     `json:"q"`
	Category string     `json:"category"`
	Gold     []Location `json:"gold"`
	// Answer is a substring a top-3 excerpt must contain ("" for none).
	Answer string `json:"answer"`
}

// UnmarshalJSON reads gold locations written {"source":…,"line":…},
// optionally with "end_line", and nothing else: source must be set, line
// at least 1, end_line (if given) no less than line.
func (l *Location) UnmarshalJSON(b []byte) error {
	var v struct {
		Source  *string `json:"source"`
		Line    *int    `json:"line"`
		EndLine int     `json:"end_line"`
	}
	if err := strictJSON(b, &v); err != nil {
		return err
	}
	switch {
	case v.Source == nil || strings.TrimSpace(*v.Source) == "":
		return fmt.Errorf("gold location %s: no source", b)
	case v.Line == nil || *v.Line < 1:
		return fmt.Errorf("gold location %s: line must be 1 or more", b)
	case v.EndLine != 0 && v.EndLine < *v.Line:
		return fmt.Errorf("gold location %s: end_line before line", b)
	}
	*l = Location{Source: *v.Source, Line: *v.Line, EndLine: v.EndLine}
	return nil
}

// strictJSON decodes one JSON value from b into v, refusing unknown
// fields and anything after the value.
func strictJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	if d.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

// ReadEvalCases reads an evaluation set, one JSON object per line; blank
// lines and lines starting with # are skipped. It is strict, so that a
// mistake in the file is not scored as a question: an unknown field, an
// empty q, a malformed gold location or a line that is not one JSON
// object is an error naming the line.
func ReadEvalCases(r io.Reader) ([]EvalCase, error) {
	var out []EvalCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var c EvalCase
		if err := strictJSON([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("retrieval: eval line %d: %w", n, err)
		}
		if strings.TrimSpace(c.Q) == "" {
			return nil, fmt.Errorf("retrieval: eval line %d: empty q", n)
		}
		if c.Answer != "" && len(c.Gold) == 0 {
			return nil, fmt.Errorf("retrieval: eval line %d: answer without gold (a question with no gold must be declined)", n)
		}
		if c.Category == "" {
			c.Category = "uncategorized"
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("retrieval: read eval set: %w", err)
	}
	return out, nil
}
