package langdetect

import "testing"

func TestDetect(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
	}{
		// Vietnamese, with diacritics, without, short, chatty.
		{"Thương mại Việt - Lào quý 1/2024 đạt bao nhiêu?", Vietnamese},
		{"Lào đón Tết Bun Pi May vào dịp nào?", Vietnamese},
		{"hop tac quoc phong", Vietnamese},
		{"cho minh hoi", Vietnamese},
		{"cho minh hoi thuong mai viet lao bao nhieu vay bot", Vietnamese},
		{"an ninh", Vietnamese}, // "an" is an English stop word too
		{"can ho", Vietnamese},  // "can" as well
		{"tay", Vietnamese},     // one syllable
		{"thu tuong lao la ai", Vietnamese},
		{"Viet Nam rot bao nhieu tien dau tu sang Lao", Vietnamese},
		{"ho\u031b\u0323p ta\u0301c", Vietnamese}, // decomposed
		{"Việt Nam và Lào ký kết hiệp định hợp tác về an ninh, ASEAN và USD.", Vietnamese},
		{"Ủy ban liên Chính phủ", Vietnamese},
		// English.
		{"when does the store open", English},
		{"The store opens at nine.", English},
		{"What is the capital of France?", English},
		{"Who is Ho Chi Minh?", English},
		{"I am a doctor", English},                  // "am" is German too: ties go to English
		{"When will Ford's plants close?", English}, // "s" is a French stop word, "'s" English
		{"opens", English},                          // no stop word, but no Vietnamese syllable
		{"Super Bowl 50", Unknown},                  // a line of names (see DetectQuestion)
		{"Sonexay Siphandone", Unknown},             // in a Vietnamese text, a caption
		{"The Normans were the people who in the 10th and 11th centuries gave their name to Normandy, a region in France.", English},
		// Other languages bleve ships.
		{"Le chat est sur la table et il dort.", French},
		{"Der Hund schläft in dem Haus und die Katze auch.", German},
		{"El perro duerme en la casa con los niños.", Spanish},
		{"Il cane dorme nella casa con i bambini e la gatta.", Italian},
		{"O cão dorme em casa com as crianças e não acorda.", Portuguese},
		{"De hond slaapt in het huis en de kat ook niet.", Dutch},
		{"Собака спит в доме, и кошка тоже.", Russian},
		// Nothing to tell by.
		{"", Unknown},
		{"1.300 476,8 2024", Unknown},
		{"東京", Unknown},
		{"USD", Unknown},
	}
	for _, tt := range tests {
		if got := Detect(tt.in); got != tt.want {
			t.Errorf("Detect(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestDetectQuestion: as Detect, but a question of names that cannot be
// Vietnamese is English.
func TestDetectQuestion(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
	}{
		{"Super Bowl 50", English},
		{"Carolina Panthers", English},
		{"Sonexay Siphandone", English},
		{"Hà Nội", Vietnamese},
		{"Viet Nam", Vietnamese},
		{"hop tac quoc phong", Vietnamese},
		{"when does the store open", English},
		{"USD 2024", Unknown},
		{"", Unknown},
	}
	for _, tt := range tests {
		if got := DetectQuestion(tt.in); got != tt.want {
			t.Errorf("DetectQuestion(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSyllable(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"nghieng", true}, {"hop", true}, {"quoc", true}, {"a", true}, {"the", true},
		{"nhieu", true}, {"truong", true}, {"khuyen", true},
		{"store", false}, {"opens", false}, {"when", false}, {"laos", false},
		{"sonexay", false}, {"", false}, {"ng", false}, {"bcd", false},
	}
	for _, tt := range tests {
		if got := Syllable(tt.in); got != tt.want {
			t.Errorf("Syllable(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsStop(t *testing.T) {
	tests := []struct {
		l    Lang
		w    string
		want bool
	}{
		{English, "the", true}, {English, "does", true}, {English, "store", false},
		{French, "le", true}, {French, "the", false}, {German, "und", true},
		{Vietnamese, "của", false}, {Unknown, "the", false},
	}
	for _, tt := range tests {
		if got := IsStop(tt.l, tt.w); got != tt.want {
			t.Errorf("IsStop(%v, %q) = %v, want %v", tt.l, tt.w, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"en", English, true}, {"en_US.UTF-8", English, true}, {"vi_VN", Vietnamese, true},
		{"VI", Vietnamese, true}, {"C", Unknown, false}, {"", Unknown, false}, {"zz", Unknown, false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Parse(%q) = %v, %v, want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// BenchmarkDetect measures detecting the language of a passage, which
// a build does once per passage.
func BenchmarkDetect(b *testing.B) {
	for _, bb := range []struct{ name, text string }{
		{"vi", "Thủ tướng Phạm Minh Chính ngày 22/4 gặp Thủ tướng Lào Sonexay Siphandone tại trụ sở chính phủ, nhân dịp ông Siphandone đến dự Diễn đàn Tương lai ASEAN tại Hà Nội, theo thông cáo của Bộ Ngoại giao. Việt - Lào thiết lập quan hệ ngoại giao năm 1962. Thương mại song phương Việt - Lào trong quý I năm 2024 đạt 476,8 triệu USD, tăng 12% so với cùng kỳ 2023."},
		{"en", "The Normans were the people who in the 10th and 11th centuries gave their name to Normandy, a region in France. They were descended from Norse raiders and pirates from Denmark, Iceland and Norway who, under their leader Rollo, agreed to swear fealty to King Charles III of West Francia."},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(len(bb.text)))
			for b.Loop() {
				Detect(bb.text)
			}
		})
	}
}
