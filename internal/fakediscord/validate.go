package fakediscord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's documented limits, as enforced by the fake. Lengths are
// counted in Unicode code points.
const (
	MaxContentLength           = 2000
	MaxEmbeds                  = 10
	MaxEmbedTitle              = 256
	MaxEmbedDescription        = 4096
	MaxEmbedFields             = 25
	MaxEmbedFieldName          = 256
	MaxEmbedFieldValue         = 1024
	MaxEmbedFooter             = 2048
	MaxEmbedAuthorName         = 256
	MaxEmbedTotal              = 6000
	MaxActionRows              = 5
	MaxRowButtons              = 5
	MaxCustomID                = 100
	MaxButtonLabel             = 80
	MaxSelectOptions           = 25
	MaxSelectOptionText        = 100
	MaxSelectPlaceholder       = 150
	MaxFiles                   = 10
	MaxStickers                = 3
	MaxV2Components            = 40
	MaxModalTitle              = 45
	MaxTextInputLabel          = 45
	MaxTextInputValue          = 4000
	MaxAutocompleteChoices     = 25
	MaxCommandName             = 32
	MaxCommandDescription      = 100
	MaxCommandOptions          = 25
	MaxCommandChoices          = 25
	MaxGlobalChatInputCommands = 100
)

// formErrors is the "errors" tree of a Discord 50035 Invalid Form Body
// answer: nested objects keyed by field name or index, with "_errors" lists
// at the leaves.
type formErrors map[string]any

type formError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// add records an error at a dotted path such as "embeds.0.description";
// "" is the top level.
func (fe formErrors) add(path, code, msg string) {
	node := map[string]any(fe)
	if path != "" {
		for _, seg := range strings.Split(path, ".") {
			next, ok := node[seg].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[seg] = next
			}
			node = next
		}
	}
	errs, _ := node["_errors"].([]formError)
	node["_errors"] = append(errs, formError{Code: code, Message: msg})
}

func (fe formErrors) err() *apiError {
	if len(fe) == 0 {
		return nil
	}
	return &apiError{status: http.StatusBadRequest, code: 50035, message: "Invalid Form Body", errors: fe}
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func (fe formErrors) maxLen(path, s string, max int) {
	if runes(s) > max {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", max))
	}
}

func (fe formErrors) between(path, s string, min, max int) {
	if n := runes(s); n < min || n > max {
		fe.add(path, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", min, max))
	}
}

func (fe formErrors) required(path, s string) bool {
	if s == "" {
		fe.add(path, "BASE_TYPE_REQUIRED", "This field is required")
		return false
	}
	return true
}

func (fe formErrors) url(path, raw string) {
	if raw == "" {
		return
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "attachment") || (u.Host == "" && u.Scheme != "attachment") {
		fe.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")
	}
}

// validateMessage checks a message payload against Discord's limits and
// parses its components into p.components.
func validateMessage(p *msgPayload) *apiError {
	fe := formErrors{}
	v2 := p.Flags != nil && *p.Flags&discordgo.MessageFlagsIsComponentsV2 != 0
	if p.Content != nil {
		fe.maxLen("content", *p.Content, MaxContentLength)
		if v2 && *p.Content != "" {
			fe.add("content", "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2")
		}
	}
	if p.Embeds != nil {
		embeds := *p.Embeds
		if len(embeds) > MaxEmbeds {
			fe.add("embeds", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", MaxEmbeds))
		}
		if v2 && len(embeds) > 0 {
			fe.add("embeds", "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", "The 'embeds' field cannot be used when using MessageFlags.IS_COMPONENTS_V2")
		}
		total := 0
		for i, e := range embeds {
			total += validateEmbed(fe, fmt.Sprintf("embeds.%d", i), e)
		}
		if total > MaxEmbedTotal {
			fe.add("embeds", "MAX_EMBED_SIZE_EXCEEDED", fmt.Sprintf("Embed size exceeds maximum size of %d", MaxEmbedTotal))
		}
	}
	if p.Components != nil {
		p.components = validateComponents(fe, *p.Components, v2)
	}
	if len(p.StickerIDs) > MaxStickers {
		fe.add("sticker_ids", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", MaxStickers))
	}
	if len(p.files) > MaxFiles {
		fe.add("files", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", MaxFiles))
	}
	fe.maxLen("username", p.Username, 80)
	if am := p.AllowedMentions; am != nil {
		for _, t := range am.Parse {
			if t == discordgo.AllowedMentionTypeUsers && len(am.Users) > 0 {
				fe.add("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", `parse:["users"] and users: [ids...] are mutually exclusive.`)
			}
			if t == discordgo.AllowedMentionTypeRoles && len(am.Roles) > 0 {
				fe.add("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", `parse:["roles"] and roles: [ids...] are mutually exclusive.`)
			}
		}
	}
	return fe.err()
}

// validateEmbed checks one embed and returns its text length for the
// message-wide 6000 limit.
func validateEmbed(fe formErrors, path string, e *discordgo.MessageEmbed) int {
	if e == nil {
		fe.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
		return 0
	}
	total := runes(e.Title) + runes(e.Description)
	fe.maxLen(path+".title", e.Title, MaxEmbedTitle)
	fe.maxLen(path+".description", e.Description, MaxEmbedDescription)
	fe.url(path+".url", e.URL)
	if e.Color < 0 || e.Color > 0xFFFFFF {
		fe.add(path+".color", "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.")
	}
	if e.Timestamp != "" {
		if _, err := time.Parse(time.RFC3339, e.Timestamp); err != nil {
			fe.add(path+".timestamp", "DATE_TIME_TYPE_PARSE", "Could not parse "+e.Timestamp+". Should be ISO8601.")
		}
	}
	if len(e.Fields) > MaxEmbedFields {
		fe.add(path+".fields", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", MaxEmbedFields))
	}
	for i, f := range e.Fields {
		fp := fmt.Sprintf("%s.fields.%d", path, i)
		if f == nil {
			fe.add(fp, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		if fe.required(fp+".name", f.Name) {
			fe.maxLen(fp+".name", f.Name, MaxEmbedFieldName)
		}
		if fe.required(fp+".value", f.Value) {
			fe.maxLen(fp+".value", f.Value, MaxEmbedFieldValue)
		}
		total += runes(f.Name) + runes(f.Value)
	}
	if f := e.Footer; f != nil {
		if fe.required(path+".footer.text", f.Text) {
			fe.maxLen(path+".footer.text", f.Text, MaxEmbedFooter)
		}
		total += runes(f.Text)
	}
	if a := e.Author; a != nil {
		if fe.required(path+".author.name", a.Name) {
			fe.maxLen(path+".author.name", a.Name, MaxEmbedAuthorName)
		}
		fe.url(path+".author.url", a.URL)
		total += runes(a.Name)
	}
	if e.Image != nil {
		fe.url(path+".image.url", e.Image.URL)
	}
	if e.Thumbnail != nil {
		fe.url(path+".thumbnail.url", e.Thumbnail.URL)
	}
	if e.Title == "" && e.Description == "" && len(e.Fields) == 0 && e.Image == nil &&
		e.Thumbnail == nil && e.Author == nil && e.Footer == nil && e.Video == nil {
		fe.add(path+".description", "BASE_TYPE_REQUIRED", "This field is required")
	}
	return total
}

// rawComponent is a tolerant view of any message component, for checks.
type rawComponent struct {
	Type        int               `json:"type"`
	CustomID    *string           `json:"custom_id"`
	Label       string            `json:"label"`
	Style       int               `json:"style"`
	URL         string            `json:"url"`
	SKUID       string            `json:"sku_id"`
	Emoji       json.RawMessage   `json:"emoji"`
	Placeholder string            `json:"placeholder"`
	MinValues   *int              `json:"min_values"`
	MaxValues   *int              `json:"max_values"`
	Options     []rawSelectOption `json:"options"`
	Components  []json.RawMessage `json:"components"`
	Accessory   json.RawMessage   `json:"accessory"`
	Content     string            `json:"content"`
	Value       string            `json:"value"`
	MinLength   *int              `json:"min_length"`
	MaxLength   *int              `json:"max_length"`
}

type rawSelectOption struct {
	Label       string `json:"label"`
	Value       string `json:"value"`
	Description string `json:"description"`
}

func isSelect(t int) bool {
	switch discordgo.ComponentType(t) {
	case discordgo.SelectMenuComponent, discordgo.UserSelectMenuComponent, discordgo.RoleSelectMenuComponent,
		discordgo.MentionableSelectMenuComponent, discordgo.ChannelSelectMenuComponent:
		return true
	}
	return false
}

// componentChecker walks a component tree.
type componentChecker struct {
	fe        formErrors
	modal     bool
	customIDs map[string]bool
	count     int
}

// validateComponents checks message components (legacy action rows, or
// Components V2 layouts if v2) and returns them parsed.
func validateComponents(fe formErrors, raws []json.RawMessage, v2 bool) []discordgo.MessageComponent {
	ck := &componentChecker{fe: fe, customIDs: map[string]bool{}}
	out := make([]discordgo.MessageComponent, 0, len(raws))
	if !v2 && len(raws) > MaxActionRows {
		fe.add("components", "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between 1 and %d in length.", MaxActionRows))
	}
	for i, raw := range raws {
		path := fmt.Sprintf("components.%d", i)
		comp, err := discordgo.MessageComponentFromJSON(raw)
		if err != nil {
			fe.add(path+".type", "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1, 9, 10, 12, 13, 14, 17).")
			continue
		}
		out = append(out, comp)
		var rc rawComponent
		if err := json.Unmarshal(raw, &rc); err != nil {
			fe.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		if !v2 && rc.Type != int(discordgo.ActionsRowComponent) {
			fe.add(path+".type", "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,).")
			continue
		}
		ck.check(path, rc, 0, v2)
	}
	if v2 && ck.count > MaxV2Components {
		fe.add("components", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", MaxV2Components))
	}
	return out
}

func (ck *componentChecker) children(path string, raws []json.RawMessage, depth int, v2 bool) []rawComponent {
	var out []rawComponent
	for i, raw := range raws {
		var rc rawComponent
		p := fmt.Sprintf("%s.components.%d", path, i)
		if err := json.Unmarshal(raw, &rc); err != nil {
			ck.fe.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		ck.check(p, rc, depth+1, v2)
		out = append(out, rc)
	}
	return out
}

func (ck *componentChecker) check(path string, rc rawComponent, depth int, v2 bool) {
	fe := ck.fe
	ck.count++
	if rc.CustomID != nil {
		id := *rc.CustomID
		fe.maxLen(path+".custom_id", id, MaxCustomID)
		if id != "" {
			if ck.customIDs[id] {
				fe.add(path+".custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
			}
			ck.customIDs[id] = true
		}
	}
	switch t := discordgo.ComponentType(rc.Type); {
	case t == discordgo.ActionsRowComponent:
		if depth > 0 && !v2 {
			fe.add(path+".type", "UNION_TYPE_CHOICES", "Action rows cannot be nested.")
		}
		kids := ck.children(path, rc.Components, depth, v2)
		if len(kids) == 0 || len(kids) > MaxRowButtons {
			fe.add(path+".components", "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between 1 and %d in length.", MaxRowButtons))
		}
		selects := 0
		for _, k := range kids {
			if isSelect(k.Type) || k.Type == int(discordgo.TextInputComponent) {
				selects++
			}
			if k.Type == int(discordgo.ActionsRowComponent) {
				fe.add(path+".components", "UNION_TYPE_CHOICES", "Action rows cannot be nested.")
			}
		}
		if selects > 0 && len(kids) > 1 {
			fe.add(path+".components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width")
		}
	case t == discordgo.ButtonComponent:
		ck.button(path, rc)
	case isSelect(rc.Type):
		ck.selectMenu(path, rc)
	case t == discordgo.TextInputComponent:
		if !ck.modal {
			fe.add(path+".type", "COMPONENT_TYPE_INVALID", "Text inputs are only allowed in modals.")
		}
		ck.textInput(path, rc)
	case t == discordgo.TextDisplayComponent:
		fe.maxLen(path+".content", rc.Content, MaxTextInputValue)
	default:
		if len(rc.Components) > 0 {
			ck.children(path, rc.Components, depth, v2)
		}
		if len(rc.Accessory) > 0 && string(rc.Accessory) != "null" {
			var acc rawComponent
			if err := json.Unmarshal(rc.Accessory, &acc); err == nil {
				ck.check(path+".accessory", acc, depth+1, v2)
			}
		}
	}
}

func (ck *componentChecker) button(path string, rc rawComponent) {
	fe := ck.fe
	fe.maxLen(path+".label", rc.Label, MaxButtonLabel)
	hasEmoji := len(rc.Emoji) > 0 && string(rc.Emoji) != "null"
	customID := ""
	if rc.CustomID != nil {
		customID = *rc.CustomID
	}
	switch discordgo.ButtonStyle(rc.Style) {
	case discordgo.PrimaryButton, discordgo.SecondaryButton, discordgo.SuccessButton, discordgo.DangerButton:
		fe.required(path+".custom_id", customID)
		if rc.URL != "" {
			fe.add(path+".url", "BUTTON_COMPONENT_URL_NOT_ALLOWED", "URL is only allowed on link buttons.")
		}
	case discordgo.LinkButton:
		if fe.required(path+".url", rc.URL) {
			fe.url(path+".url", rc.URL)
		}
		if customID != "" {
			fe.add(path+".custom_id", "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED", "A custom id is not allowed on link buttons.")
		}
	case discordgo.PremiumButton:
		fe.required(path+".sku_id", rc.SKUID)
		return
	default:
		fe.add(path+".style", "BUTTON_COMPONENT_INVALID_STYLE", "Invalid button style.")
	}
	if rc.Label == "" && !hasEmoji {
		fe.add(path+".label", "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A label or an emoji is required.")
	}
}

func (ck *componentChecker) selectMenu(path string, rc rawComponent) {
	fe := ck.fe
	if rc.CustomID == nil {
		fe.add(path+".custom_id", "BASE_TYPE_REQUIRED", "This field is required")
	} else {
		fe.required(path+".custom_id", *rc.CustomID)
	}
	fe.maxLen(path+".placeholder", rc.Placeholder, MaxSelectPlaceholder)
	min, max := 1, 1
	if rc.MinValues != nil {
		min = *rc.MinValues
		if min < 0 || min > MaxSelectOptions {
			fe.add(path+".min_values", "NUMBER_TYPE_MAX", fmt.Sprintf("int value should be between 0 and %d.", MaxSelectOptions))
		}
	}
	if rc.MaxValues != nil {
		max = *rc.MaxValues
		if max < 1 || max > MaxSelectOptions {
			fe.add(path+".max_values", "NUMBER_TYPE_MAX", fmt.Sprintf("int value should be between 1 and %d.", MaxSelectOptions))
		}
	}
	if min > max {
		fe.add(path+".min_values", "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE", "min_values must be less than or equal to max_values.")
	}
	if discordgo.ComponentType(rc.Type) != discordgo.SelectMenuComponent {
		return
	}
	if len(rc.Options) == 0 || len(rc.Options) > MaxSelectOptions {
		fe.add(path+".options", "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between 1 and %d in length.", MaxSelectOptions))
	}
	if max > len(rc.Options) && len(rc.Options) > 0 {
		fe.add(path+".max_values", "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE", "max_values must be less than or equal to the number of options.")
	}
	seen := map[string]bool{}
	for i, o := range rc.Options {
		op := fmt.Sprintf("%s.options.%d", path, i)
		if fe.required(op+".label", o.Label) {
			fe.maxLen(op+".label", o.Label, MaxSelectOptionText)
		}
		if fe.required(op+".value", o.Value) {
			fe.maxLen(op+".value", o.Value, MaxSelectOptionText)
		}
		fe.maxLen(op+".description", o.Description, MaxSelectOptionText)
		if seen[o.Value] {
			fe.add(op+".value", "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Select option values must be unique.")
		}
		seen[o.Value] = true
	}
}

func (ck *componentChecker) textInput(path string, rc rawComponent) {
	fe := ck.fe
	if rc.CustomID == nil || *rc.CustomID == "" {
		fe.add(path+".custom_id", "BASE_TYPE_REQUIRED", "This field is required")
	}
	if fe.required(path+".label", rc.Label) {
		fe.maxLen(path+".label", rc.Label, MaxTextInputLabel)
	}
	if rc.Style != 1 && rc.Style != 2 {
		fe.add(path+".style", "UNION_TYPE_CHOICES", "Value of field \"style\" must be one of (1, 2).")
	}
	fe.maxLen(path+".value", rc.Value, MaxTextInputValue)
	fe.maxLen(path+".placeholder", rc.Placeholder, 100)
	if rc.MinLength != nil && (*rc.MinLength < 0 || *rc.MinLength > MaxTextInputValue) {
		fe.add(path+".min_length", "NUMBER_TYPE_MAX", "int value should be between 0 and 4000.")
	}
	if rc.MaxLength != nil && (*rc.MaxLength < 1 || *rc.MaxLength > MaxTextInputValue) {
		fe.add(path+".max_length", "NUMBER_TYPE_MAX", "int value should be between 1 and 4000.")
	}
}

// validateModal checks the data of a type 9 (modal) interaction response.
func validateModal(data json.RawMessage) *apiError {
	fe := formErrors{}
	var m struct {
		CustomID   string            `json:"custom_id"`
		Title      string            `json:"title"`
		Components []json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return apiErr(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
	}
	if fe.required("data.custom_id", m.CustomID) {
		fe.maxLen("data.custom_id", m.CustomID, MaxCustomID)
	}
	if fe.required("data.title", m.Title) {
		fe.maxLen("data.title", m.Title, MaxModalTitle)
	}
	if len(m.Components) == 0 || len(m.Components) > 5 {
		fe.add("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
	}
	ck := &componentChecker{fe: fe, customIDs: map[string]bool{}, modal: true}
	for i, raw := range m.Components {
		var rc rawComponent
		path := fmt.Sprintf("data.components.%d", i)
		if err := json.Unmarshal(raw, &rc); err != nil {
			fe.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		ck.check(path, rc, 0, false)
		if rc.Type == int(discordgo.ActionsRowComponent) {
			for j, kid := range rc.Components {
				var k rawComponent
				if json.Unmarshal(kid, &k) == nil && k.Type != int(discordgo.TextInputComponent) && !isSelect(k.Type) {
					fe.add(fmt.Sprintf("%s.components.%d.type", path, j), "UNION_TYPE_CHOICES", "Modals only support text inputs and select menus.")
				}
			}
		}
	}
	return fe.err()
}

// validateChoices checks the data of a type 8 (autocomplete) response.
func validateChoices(data json.RawMessage) *apiError {
	fe := formErrors{}
	var d struct {
		Choices []struct {
			Name  string          `json:"name"`
			Value json.RawMessage `json:"value"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return apiErr(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
	}
	if len(d.Choices) > MaxAutocompleteChoices {
		fe.add("data.choices", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", MaxAutocompleteChoices))
	}
	for i, c := range d.Choices {
		p := fmt.Sprintf("data.choices.%d", i)
		fe.between(p+".name", c.Name, 1, 100)
		var sv string
		if json.Unmarshal(c.Value, &sv) == nil {
			fe.maxLen(p+".value", sv, 100)
		}
	}
	return fe.err()
}

var commandNameRE = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// validateCommands checks application commands like Discord's
// create/overwrite endpoints. prefix is "" for a single command or the
// index path for bulk overwrites.
func validateCommands(fe formErrors, cmds []*discordgo.ApplicationCommand, bulk bool) {
	names := map[string]bool{}
	chatInput := 0
	for i, c := range cmds {
		path := ""
		if bulk {
			path = strconv.Itoa(i) + "."
		}
		if c == nil {
			fe.add(strings.TrimSuffix(path, "."), "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		typ := c.Type
		if typ == 0 {
			typ = discordgo.ChatApplicationCommand
		}
		key := fmt.Sprintf("%d/%s", typ, c.Name)
		if names[key] {
			fe.add(path+"name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
		}
		names[key] = true
		if typ == discordgo.ChatApplicationCommand {
			chatInput++
			validateCommandName(fe, path+"name", c.Name)
			if fe.required(path+"description", c.Description) {
				fe.between(path+"description", c.Description, 1, MaxCommandDescription)
			}
			validateOptions(fe, path+"options", c.Options, 0)
		} else {
			fe.between(path+"name", c.Name, 1, MaxCommandName)
			if c.Description != "" {
				fe.add(path+"description", "APPLICATION_COMMAND_DESCRIPTION_NOT_ALLOWED", "Context menu commands cannot have a description.")
			}
		}
	}
	if chatInput > MaxGlobalChatInputCommands {
		fe.add("", "APPLICATION_COMMANDS_TOO_MANY", fmt.Sprintf("Maximum number of application commands reached (%d)", MaxGlobalChatInputCommands))
	}
}

func validateCommandName(fe formErrors, path, name string) {
	if !commandNameRE.MatchString(name) || strings.ToLower(name) != name {
		fe.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
	}
}

func validateOptions(fe formErrors, path string, opts []*discordgo.ApplicationCommandOption, depth int) {
	if len(opts) > MaxCommandOptions {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", MaxCommandOptions))
	}
	names := map[string]bool{}
	seenOptional := false
	for i, o := range opts {
		p := fmt.Sprintf("%s.%d", path, i)
		if o == nil {
			fe.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		validateCommandName(fe, p+".name", o.Name)
		if names[o.Name] {
			fe.add(p+".name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique")
		}
		names[o.Name] = true
		if fe.required(p+".description", o.Description) {
			fe.between(p+".description", o.Description, 1, MaxCommandDescription)
		}
		if o.Type < discordgo.ApplicationCommandOptionSubCommand || o.Type > discordgo.ApplicationCommandOptionAttachment {
			fe.add(p+".type", "UNION_TYPE_CHOICES", "Invalid option type.")
		}
		isSub := o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup
		if !isSub {
			if o.Required && seenOptional {
				fe.add(p+".required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
			}
			if !o.Required {
				seenOptional = true
			}
		}
		if len(o.Choices) > MaxCommandChoices {
			fe.add(p+".choices", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", MaxCommandChoices))
		}
		if o.Autocomplete && len(o.Choices) > 0 {
			fe.add(p+".autocomplete", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES", "Autocomplete cannot be set with choices.")
		}
		for j, ch := range o.Choices {
			if ch != nil {
				fe.between(fmt.Sprintf("%s.choices.%d.name", p, j), ch.Name, 1, 100)
			}
		}
		if isSub {
			if depth >= 2 || (o.Type == discordgo.ApplicationCommandOptionSubCommandGroup && depth >= 1) {
				fe.add(p+".type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Sub-command nesting is too deep.")
			}
			validateOptions(fe, p+".options", o.Options, depth+1)
		}
	}
}
