package cite

import (
	"reflect"
	"testing"

	"github.com/askdocs/askdocs/retrieval"
)

func TestWhere(t *testing.T) {
	for _, tt := range []struct {
		source          string
		line, end, page int
		want            string
	}{
		{"a.txt", 17, 17, 0, "a.txt:17"},
		{"a.txt", 17, 19, 0, "a.txt:17-19"},
		{"docs/report.pdf", 11, 12, 3, "docs/report.pdf p. 3"},
		{"policy.DOCX", 12, 12, 0, "policy.DOCX ¶ 12"},
		{"policy.docx", 12, 14, 0, "policy.docx ¶ 12-14"},
		{"README", 0, 0, 0, "README"},
		{"two\nlines.md", 3, 2, 0, "two lines.md:3"},
	} {
		if got := Where(tt.source, tt.line, tt.end, tt.page); got != tt.want {
			t.Errorf("Where(%q, %d, %d, %d) = %q, want %q", tt.source, tt.line, tt.end, tt.page, got, tt.want)
		}
	}
	r := retrieval.Result{Source: "r.pdf", Line: 4, EndLine: 5, Page: 2, Also: []retrieval.Location{{Source: "s.md", Line: 1, EndLine: 2}}}
	if Of(r) != "r.pdf p. 2" || OfLocation(r.Also[0]) != "s.md:1-2" {
		t.Errorf("Of = %q, OfLocation = %q", Of(r), OfLocation(r.Also[0]))
	}
}

func TestHeading(t *testing.T) {
	for _, tt := range []struct{ title, section, want string }{
		{"Hướng dẫn", "", "Hướng dẫn"},
		{"Hướng dẫn", "Cài đặt › Linux", "Hướng dẫn › Cài đặt › Linux"},
		{"Moderation guide", "Moderation guide › Appeals", "Moderation guide › Appeals"},
		{"Moderation guide", "Moderation guide", "Moderation guide"},
		{"", "Cài đặt", "Cài đặt"},
		{"  a\n b ", "", "a b"},
	} {
		if got := Heading(retrieval.Result{Title: tt.title, Section: tt.section}); got != tt.want {
			t.Errorf("Heading(%q, %q) = %q, want %q", tt.title, tt.section, got, tt.want)
		}
	}
}

func TestSegments(t *testing.T) {
	for _, tt := range []struct {
		name    string
		excerpt string
		spans   []retrieval.Span
		want    []Segment
	}{
		{"none", "abc", nil, []Segment{{"abc", false}}},
		{"one", "hợp tác kinh tế", []retrieval.Span{{Start: 0, End: 10}}, []Segment{{"hợp tác", true}, {" kinh tế", false}}},
		{"unsorted and touching merge", "abcdef", []retrieval.Span{{Start: 3, End: 4}, {Start: 1, End: 3}}, []Segment{{"a", false}, {"bcd", true}, {"ef", false}}},
		{"overlapping", "abcdef", []retrieval.Span{{Start: 1, End: 4}, {Start: 2, End: 5}}, []Segment{{"a", false}, {"bcde", true}, {"f", false}}},
		{"out of bounds", "abc", []retrieval.Span{{Start: 2, End: 99}, {Start: -5, End: 1}}, []Segment{{"a", true}, {"b", false}, {"c", true}}},
		{"inside a rune", "ồa", []retrieval.Span{{Start: 1, End: 2}}, []Segment{{"ồ", true}, {"a", false}}},
		{"empty", "", []retrieval.Span{{Start: 0, End: 3}}, nil},
	} {
		if got := Segments(tt.excerpt, tt.spans); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Segments = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if got := Mark("hợp tác kinh tế", []retrieval.Span{{Start: 0, End: 10}}, "**", "**"); got != "**hợp tác** kinh tế" {
		t.Errorf("Mark = %q", got)
	}
}
