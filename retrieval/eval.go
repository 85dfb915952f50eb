package retrieval

import (
	"bufio"
	"encoding/json"
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

// UnmarshalJSON reads gold locations written {"source":…,"line":…}.
func (l *Location) UnmarshalJSON(b []byte) error {
	var v struct {
		Source  string `json:"source"`
		Line    int    `json:"line"`
		EndLine int    `json:"end_line"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = Location{Source: v.Source, Line: v.Line, EndLine: v.EndLine}
	return nil
}

// ReadEvalCases reads an evaluation set, one JSON object per line.
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
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("retrieval: eval line %d: %w", n, err)
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
