package main

import (
	"bytes"
	"testing"

	"github.com/askdocs/askdocs/retrieval"
)

// TestReplyLang: ask's messages follow the question's language when it
// is Vietnamese or English, else BOT_LANG, else LANG, else Vietnamese.
func TestReplyLang(t *testing.T) {
	tests := []struct {
		question string
		env      map[string]string
		want     string
	}{
		{"when does the store open", nil, "en"},
		{"when does the store open", map[string]string{"BOT_LANG": "vi"}, "en"},
		{"hop tac quoc phong", map[string]string{"BOT_LANG": "en"}, "vi"},
		{"Thương mại Việt - Lào đạt bao nhiêu?", map[string]string{"LANG": "en_US.UTF-8"}, "vi"},
		{"USD 2024", nil, "vi"},
		{"USD 2024", map[string]string{"BOT_LANG": "en"}, "en"},
		{"USD 2024", map[string]string{"LANG": "en_GB.UTF-8"}, "en"},
		{"USD 2024", map[string]string{"BOT_LANG": "vi", "LANG": "en_US.UTF-8"}, "vi"},
		{"USD 2024", map[string]string{"LANG": "C.UTF-8"}, "vi"},
		{"Où sont les écoles de la ville ?", map[string]string{"BOT_LANG": "en"}, "en"},
		{"Où sont les écoles de la ville ?", nil, "vi"},
	}
	for _, tt := range tests {
		got := replyLang(tt.question, messageLang(tt.env["BOT_LANG"], tt.env["LANG"]))
		if got != tt.want {
			t.Errorf("replyLang(%q) with %v = %q, want %q", tt.question, tt.env, got, tt.want)
		}
	}
}

func TestAbstainMessageLang(t *testing.T) {
	tests := []struct {
		lang, want string
	}{
		{"en", "The documents do not answer this question.\nThey cover: A; B\n\n"},
		{"vi", "Tài liệu không có thông tin để trả lời câu hỏi này.\nTài liệu nói về: A; B\n\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		writeHuman(&b, retrieval.Answer{Suggestions: []string{"A", "B"}}, tt.lang, false)
		if b.String() != tt.want {
			t.Errorf("%s: %q, want %q", tt.lang, b.String(), tt.want)
		}
	}
}
