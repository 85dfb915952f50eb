package bot

import (
	"fmt"
	"strings"
	"time"
)

// Lang is the language of the bot's replies.
type Lang string

// Supported languages.
const (
	LangVI Lang = "vi" // Vietnamese, the default
	LangEN Lang = "en" // English
)

// parseLang parses a Config.Lang value.
func parseLang(s string) (Lang, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "vi", "vi-vn":
		return LangVI, true
	case "en", "en-us", "en-gb":
		return LangEN, true
	}
	return "", false
}

// langForLocale picks the reply language for an interaction: Discord's "vi"
// locale gets Vietnamese, every other locale English, and an empty locale
// the configured default.
func langForLocale(locale string, def Lang) Lang {
	switch {
	case locale == "":
		return def
	case strings.EqualFold(locale, "vi") || strings.HasPrefix(strings.ToLower(locale), "vi-"):
		return LangVI
	}
	return LangEN
}

// messages holds every user-visible string of one language. Strings are
// Discord markdown unless noted; arguments are already escaped by callers.
type messages struct {
	// Usage is the one-line hint for a bare mention or keyword; example
	// is UsageExample after the keyword, formatted as inline code.
	Usage func(example string) string
	// UsageExample is an example question (plain text).
	UsageExample string
	// TooLong is the answer to a question over the length limit.
	TooLong func(got, max int) string
	// RateLimited tells the user when they may ask again.
	RateLimited func(wait time.Duration) string
	// SearchError is the answer when the search engine failed.
	SearchError string
	// NoAnswer says the documents do not answer the question.
	NoAnswer string
	// Rephrase suggests how to ask again after an abstention.
	Rephrase string
	// Covers introduces the list of topics the documents cover.
	Covers string
	// AlsoIn labels the locations of merged near-duplicates.
	AlsoIn string
	// More and Previous label the paging buttons (plain text).
	More, Previous string
	// FullPassage labels the button showing result n's whole passage
	// (plain text).
	FullPassage func(n int) string
	// PageFooter describes the page shown (plain text).
	PageFooter func(page, pages, from, to, total int) string
	// ResultCount is the footer for a single page (plain text).
	ResultCount func(n int) string
	// Expired answers a click on a button whose state is gone.
	Expired func(ttl time.Duration) string
	// CommandDescription and OptionDescription describe /ask (plain).
	CommandDescription, OptionDescription string
	// OptionName is the localized name of the "question" option.
	OptionName string
}

// catalog returns the strings of every supported language.
func catalog() map[Lang]messages {
	return map[Lang]messages{
		LangVI: {
			Usage: func(example string) string {
				return "Bạn hãy hỏi kèm câu hỏi, ví dụ " + example + " — hoặc nhắc tên mình, dùng lệnh /ask, hay nhắn riêng cho mình."
			},
			UsageExample: "làm sao để đổi mật khẩu?",
			TooLong: func(got, max int) string {
				return fmt.Sprintf("Câu hỏi dài quá (%d ký tự, tối đa %d). Bạn hãy hỏi ngắn gọn hơn nhé.", got, max)
			},
			RateLimited: func(wait time.Duration) string {
				return fmt.Sprintf("Bạn hỏi hơi nhanh — hãy thử lại sau %d giây nhé.", seconds(wait))
			},
			SearchError: "Xin lỗi, đã có lỗi khi tìm trong tài liệu. Bạn thử lại sau ít phút nhé.",
			NoAnswer:    "Tài liệu không có thông tin để trả lời câu hỏi này.",
			Rephrase:    "Bạn thử hỏi lại bằng những từ tài liệu hay dùng, cụ thể hơn (tên người, nơi chốn, sự việc), hoặc hỏi về một chủ đề bên dưới.",
			Covers:      "Tài liệu có nói về:",
			AlsoIn:      "cũng có trong",
			More:        "Thêm kết quả ▶",
			Previous:    "◀ Trang trước",
			FullPassage: func(n int) string { return fmt.Sprintf("Đoạn đầy đủ [%d]", n) },
			PageFooter: func(page, pages, from, to, total int) string {
				return fmt.Sprintf("Trang %d/%d · kết quả %d–%d trên %d", page, pages, from, to, total)
			},
			ResultCount: func(n int) string { return fmt.Sprintf("%d kết quả", n) },
			Expired: func(ttl time.Duration) string {
				return fmt.Sprintf("Nút này đã hết hạn (mình chỉ nhớ kết quả trong %s). Bạn hãy hỏi lại nhé!", durationVI(ttl))
			},
			CommandDescription: "Hỏi một câu về tài liệu",
			OptionDescription:  "Câu hỏi của bạn",
			OptionName:         "câu-hỏi",
		},
		LangEN: {
			Usage: func(example string) string {
				return "Ask me with a question, e.g. " + example + " — or mention me, use /ask, or DM me."
			},
			UsageExample: "how do I reset my password?",
			TooLong: func(got, max int) string {
				return fmt.Sprintf("That question is too long (%d characters, at most %d). Please ask something shorter.", got, max)
			},
			RateLimited: func(wait time.Duration) string {
				s := seconds(wait)
				unit := "seconds"
				if s == 1 {
					unit = "second"
				}
				return fmt.Sprintf("You're asking a bit fast — please try again in %d %s.", s, unit)
			},
			SearchError: "Sorry, something went wrong while searching the documents. Please try again in a few minutes.",
			NoAnswer:    "The documents do not answer this question.",
			Rephrase:    "Try again with words the documents use, more specific ones (a name, a place, an event), or ask about a topic below.",
			Covers:      "The documents cover:",
			AlsoIn:      "also in",
			More:        "More results ▶",
			Previous:    "◀ Previous",
			FullPassage: func(n int) string { return fmt.Sprintf("Full passage [%d]", n) },
			PageFooter: func(page, pages, from, to, total int) string {
				return fmt.Sprintf("Page %d/%d · results %d–%d of %d", page, pages, from, to, total)
			},
			ResultCount: func(n int) string {
				if n == 1 {
					return "1 result"
				}
				return fmt.Sprintf("%d results", n)
			},
			Expired: func(ttl time.Duration) string {
				return fmt.Sprintf("This button has expired (I only keep results for %s). Please ask again!", durationEN(ttl))
			},
			CommandDescription: "Ask a question about the documents",
			OptionDescription:  "Your question",
			OptionName:         "question",
		},
	}
}

// text returns the strings of lang, Vietnamese for unknown languages.
func text(lang Lang) messages {
	c := catalog()
	if m, ok := c[lang]; ok {
		return m
	}
	return c[LangVI]
}

// seconds rounds d up to whole seconds, at least 1.
func seconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

func durationVI(d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		return fmt.Sprintf("%d giờ", int(d/time.Hour))
	}
	if d >= time.Minute {
		return fmt.Sprintf("%d phút", int((d+time.Minute-1)/time.Minute))
	}
	return fmt.Sprintf("%d giây", seconds(d))
}

func durationEN(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	if d >= time.Hour && d%time.Hour == 0 {
		return plural(int(d/time.Hour), "hour")
	}
	if d >= time.Minute {
		return plural(int((d+time.Minute-1)/time.Minute), "minute")
	}
	return plural(seconds(d), "second")
}
