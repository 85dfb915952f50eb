// Package analysis groups the bleve analysis components that make
// retrieval Vietnamese-aware, and able to read other languages. Each
// sub-package is one small component:
//
//   - nfc: a char filter that puts text in Unicode NFC.
//   - vntoken: a tokenizer that splits text into syllables and numbers.
//   - vnnumber: a token filter that unifies number spellings (1.300 = 1300).
//   - vntone: a token filter that unifies old and new tone placement and
//     i/y spellings (hoà = hòa, sỹ = sĩ).
//   - vnstop: the stop lists (function words, question words, chat
//     filler) and a token filter that drops function words.
//   - vnfold: a token filter that folds every diacritic (đ → d).
//   - vnbigram: token filters that join adjacent syllables into bigrams,
//     alone or alongside the syllables.
//   - termcache: remembers what a filter made of a term, so each distinct
//     syllable is rewritten once.
//   - langdetect: tells the language of a passage or a question
//     (Vietnamese with or without diacritics, or one of the languages
//     bleve has stop lists and stemmers for).
//   - langstem: bleve's stemmers and stop lists for those other
//     languages, word by word on vntoken's tokens.
//
// Analyzers built from them are registered by package vietnamese (which
// adds langstem's).
package analysis
