package app

import (
	"slices"
	"strings"
	"unicode"

	"shequ/app/model"
)

// LedgerField is what a column of a residents' ledger (台账) holds.
type LedgerField string

// Ledger fields. FieldNone marks a column the import leaves out.
const (
	FieldNone      LedgerField = ""
	FieldSeq       LedgerField = "seq"
	FieldName      LedgerField = "name"
	FieldSex       LedgerField = "sex"
	FieldIDNumber  LedgerField = "id_number"
	FieldBirth     LedgerField = "birth"
	FieldEthnicity LedgerField = "ethnicity"
	FieldPhone     LedgerField = "phone"
	FieldCompound  LedgerField = "compound"
	FieldBuilding  LedgerField = "building"
	FieldUnit      LedgerField = "unit"
	FieldRoom      LedgerField = "room"
	FieldAddress   LedgerField = "address"
	FieldRelation  LedgerField = "relation"
	FieldKind      LedgerField = "kind"
	FieldStatus    LedgerField = "status"
	FieldTags      LedgerField = "tags"
	FieldNotes     LedgerField = "notes"
)

// LedgerFields lists the fields a column can be mapped to, in the order
// the mapping editor offers them.
var LedgerFields = []LedgerField{FieldName, FieldSex, FieldIDNumber, FieldBirth, FieldEthnicity, FieldPhone,
	FieldCompound, FieldBuilding, FieldUnit, FieldRoom, FieldAddress, FieldRelation, FieldKind, FieldStatus,
	FieldTags, FieldNotes, FieldSeq}

// LedgerHeader is the canonical layout of a residents' ledger: what an
// export writes and a template holds, read back with no mapping. 状态 is
// always there, so a ledger that holds former residents (asked for)
// marks each, and an import of the export gives back the same registry.
var LedgerHeader = []struct {
	Field  LedgerField
	Header string
}{
	{FieldSeq, "序号"}, {FieldName, "姓名"}, {FieldSex, "性别"}, {FieldIDNumber, "公民身份号码"}, {FieldBirth, "出生日期"},
	{FieldEthnicity, "民族"}, {FieldPhone, "联系电话"}, {FieldCompound, "小区"}, {FieldBuilding, "楼栋"}, {FieldUnit, "单元"},
	{FieldRoom, "房号"}, {FieldRelation, "与户主关系"}, {FieldKind, "人员类别"}, {FieldStatus, "状态"}, {FieldTags, "标签"}, {FieldNotes, "备注"},
}

// headerSynonyms are the headers offices write for each field, normalized
// by headerKey.
var headerSynonyms = synonyms(map[LedgerField][]string{
	FieldSeq:       {"序号", "编号", "序", "no", "no."},
	FieldName:      {"姓名", "居民姓名", "人员姓名", "成员姓名", "名字", "name"},
	FieldSex:       {"性别", "sex"},
	FieldIDNumber:  {"公民身份号码", "身份证号", "身份证号码", "身份证", "证件号码", "身份证件号码", "公民身份证号码", "身份号码"},
	FieldBirth:     {"出生日期", "出生年月日", "出生年月", "生日", "出生时间"},
	FieldEthnicity: {"民族"},
	FieldPhone:     {"联系电话", "手机号", "电话", "手机", "手机号码", "联系方式", "电话号码", "联系手机"},
	FieldCompound:  {"小区", "小区名称", "所在小区", "小区名"},
	FieldBuilding:  {"楼栋", "栋", "幢", "楼号", "栋号", "楼栋号"},
	FieldUnit:      {"单元", "单元号"},
	FieldRoom:      {"房号", "门牌号", "房间号", "室", "房屋号", "户号"},
	FieldAddress:   {"住址", "现住址", "居住地址", "地址", "家庭住址", "详细地址", "现居住地址", "房屋地址"},
	FieldRelation:  {"与户主关系", "与户主的关系", "关系", "家庭关系"},
	FieldKind:      {"人员类别", "户籍类型", "人员类型", "户籍性质", "人口类型"},
	FieldStatus:    {"状态", "居住状态", "人员状态"},
	FieldTags:      {"标签", "居民标签", "人员标签"},
	FieldNotes:     {"备注", "说明"},
})

// headerKey normalizes a header cell: no spaces or line breaks, half-width,
// lower case, without the required-field star or a bracketed hint such as
// 出生日期（yyyy-mm-dd）.
func headerKey(s string) string {
	s = strings.ToLower(toHalfWidth(s))
	if i := strings.IndexAny(s, "(（"); i > 0 {
		s = s[:i]
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '*' || r == '＊' || r == ':' || r == '：' {
			return -1
		}
		return r
	}, s)
}

// LedgerKind is what a ledger lists: residents, or 12345 hotline orders.
type LedgerKind string

// Ledger kinds.
const (
	LedgerResidents LedgerKind = ""
	LedgerHotline   LedgerKind = "hotline"
	LedgerList      LedgerKind = "list" // people to match against the registry (碰撞比对)
)

// ledgerSpec is what sets a kind of ledger apart: its fields, the headers
// that name them, the field a header row must name, the date column a
// preview shows as a date.
type ledgerSpec struct {
	fields   []LedgerField
	synonyms map[string]LedgerField
	key      LedgerField
	date     LedgerField
	times    []LedgerField // date-time columns, previewed as such
	alone    bool          // the key alone makes a header (a list may name nothing else)
}

func (spec *ledgerSpec) match(s string) (LedgerField, bool) {
	k := headerKey(s)
	f, ok := spec.synonyms[k]
	if !ok && spec.alone && personIDHeader(k) {
		// A list names its person's number every which way (受种者身份证号,
		// 儿童身份证号): any ID number header but another person's.
		return FieldIDNumber, true
	}
	return f, ok
}

// personIDHeader tells an ID number header of the listed person from one
// of a guardian's, a householder's or a contact's.
func personIDHeader(k string) bool {
	if !strings.Contains(k, "身份证") && !strings.Contains(k, "证件号") {
		return false
	}
	for _, other := range []string{"监护人", "父亲", "母亲", "户主", "联系人", "代办人", "家长", "紧急"} {
		if strings.Contains(k, other) {
			return false
		}
	}
	return true
}

// FieldsOf lists the fields a column of a kind of ledger can be mapped to.
func FieldsOf(k LedgerKind) []LedgerField { return specs[k].fields }

// Fields of a 12345 hotline export (besides FieldName for the caller,
// FieldPhone and FieldAddress for the place).
const (
	FieldOrderNo  LedgerField = "order_no"
	FieldReceived LedgerField = "received"
	FieldContent  LedgerField = "content"
	FieldCategory LedgerField = "appeal_category"
	FieldUrgency  LedgerField = "urgency"
)

var specs = map[LedgerKind]*ledgerSpec{
	LedgerResidents: {fields: LedgerFields, synonyms: headerSynonyms, key: FieldName, date: FieldBirth},
	LedgerHotline: {
		fields: []LedgerField{FieldOrderNo, FieldReceived, FieldContent, FieldCategory, FieldName, FieldPhone, FieldAddress, FieldUrgency, FieldSeq},
		synonyms: synonyms(map[LedgerField][]string{
			FieldOrderNo:  {"工单编号", "工单号", "编号", "受理编号", "工单流水号", "流水号"},
			FieldReceived: {"来电时间", "受理时间", "登记时间", "创建时间", "工单时间", "派单时间"},
			FieldContent:  {"诉求内容", "工单内容", "问题描述", "来电内容", "反映内容", "事项内容", "诉求描述"},
			FieldCategory: {"诉求类别", "问题分类", "工单类型", "工单分类", "诉求分类", "事项类别", "类别"},
			FieldName:     {"来电人", "联系人", "诉求人", "反映人", "姓名", "来电人姓名"},
			FieldPhone:    {"联系电话", "来电号码", "电话", "联系方式", "手机号"},
			FieldAddress:  {"诉求地址", "事发地址", "地址", "发生地址", "问题地址"},
			FieldUrgency:  {"紧急程度", "缓急程度", "紧急度"},
			FieldSeq:      {"序号"},
		}),
		key: FieldOrderNo, date: FieldReceived,
	},
	LedgerList: {fields: []LedgerField{FieldIDNumber, FieldName, FieldSeq},
		synonyms: listSynonyms(), key: FieldIDNumber, alone: true},
}

// listSynonyms are the headers of an outside list: a ledger's, and the
// names departments give the person a list is about.
func listSynonyms() map[string]LedgerField {
	m := synonymsOf(headerSynonyms, FieldIDNumber, FieldName, FieldSeq)
	for _, n := range []string{"接种人", "接种人姓名", "受种者", "受种者姓名", "申请人", "申请人姓名", "对象姓名", "补贴对象",
		"救助对象", "服务对象", "人员", "来电人", "老人姓名", "儿童姓名", "学生姓名", "患者姓名"} {
		m[headerKey(n)] = FieldName
	}
	for _, n := range []string{"证件号", "有效证件号", "有效证件号码", "身份证件号", "证件号码（身份证）", "公民身份证号", "身份证号码（18位）"} {
		m[headerKey(n)] = FieldIDNumber
	}
	return m
}

// synonymsOf keeps the headers of some fields only.
func synonymsOf(all map[string]LedgerField, fields ...LedgerField) map[string]LedgerField {
	m := map[string]LedgerField{}
	for k, f := range all {
		if slices.Contains(fields, f) {
			m[k] = f
		}
	}
	return m
}

// synonyms indexes headers by headerKey.
func synonyms(names map[LedgerField][]string) map[string]LedgerField {
	m := map[string]LedgerField{}
	for f, list := range names {
		for _, n := range list {
			m[headerKey(n)] = f
		}
	}
	return m
}

// The ledger's words for coded values: ledgers are Chinese documents
// whatever the window's language, so they live here and not in the
// translations.
var (
	ledgerSex = map[model.Sex]string{model.Male: "男", model.Female: "女"}
	ledgerRel = map[model.Relation]string{model.RelHead: "户主", model.RelSpouse: "配偶", model.RelChild: "子女",
		model.RelParent: "父母", model.RelGrandchild: "孙子女", model.RelTenant: "租户", model.RelOther: "其他"}
	ledgerKind   = map[model.Kind]string{model.KindRegistered: "户籍", model.KindFloating: "流动", model.KindForeign: "境外"}
	ledgerStatus = map[model.Status]string{model.StatusPresent: "在住", model.StatusAway: "外出", model.StatusMoved: "迁出", model.StatusDead: "死亡"}

	sexWords = map[string]model.Sex{"男": model.Male, "男性": model.Male, "m": model.Male, "male": model.Male,
		"女": model.Female, "女性": model.Female, "f": model.Female, "female": model.Female}
	relWords = map[string]model.Relation{
		"户主": model.RelHead, "本人": model.RelHead, "户主本人": model.RelHead, "head": model.RelHead,
		"配偶": model.RelSpouse, "妻": model.RelSpouse, "妻子": model.RelSpouse, "夫": model.RelSpouse, "丈夫": model.RelSpouse,
		"子女": model.RelChild, "子": model.RelChild, "女": model.RelChild, "儿子": model.RelChild, "女儿": model.RelChild,
		"长子": model.RelChild, "次子": model.RelChild, "三子": model.RelChild, "长女": model.RelChild, "次女": model.RelChild,
		"三女": model.RelChild, "独生子": model.RelChild, "独生女": model.RelChild, "养子": model.RelChild, "养女": model.RelChild,
		"继子": model.RelChild, "继女": model.RelChild,
		"父母": model.RelParent, "父亲": model.RelParent, "母亲": model.RelParent, "父": model.RelParent, "母": model.RelParent,
		"公公": model.RelParent, "婆婆": model.RelParent, "岳父": model.RelParent, "岳母": model.RelParent,
		"孙子女": model.RelGrandchild, "孙子": model.RelGrandchild, "孙女": model.RelGrandchild, "外孙": model.RelGrandchild,
		"外孙子": model.RelGrandchild, "外孙女": model.RelGrandchild,
		"租户": model.RelTenant, "租客": model.RelTenant, "承租人": model.RelTenant, "租住": model.RelTenant,
		"其他": model.RelOther, "其它": model.RelOther, "兄弟姐妹": model.RelOther, "兄": model.RelOther, "弟": model.RelOther,
		"姐": model.RelOther, "妹": model.RelOther, "儿媳": model.RelOther, "女婿": model.RelOther, "祖父母": model.RelOther,
		"保姆": model.RelOther, "亲属": model.RelOther, "非亲属": model.RelOther,
	}
	kindWords = map[string]model.Kind{"户籍": model.KindRegistered, "户籍人口": model.KindRegistered, "本地": model.KindRegistered,
		"常住": model.KindRegistered, "常住人口": model.KindRegistered, "本地户籍": model.KindRegistered,
		"流动": model.KindFloating, "流动人口": model.KindFloating, "外来": model.KindFloating, "外来人口": model.KindFloating,
		"暂住": model.KindFloating, "境外": model.KindForeign, "境外人员": model.KindForeign, "外籍": model.KindForeign,
		"外籍人员": model.KindForeign, "港澳台": model.KindForeign}
	statusWords = map[string]model.Status{"在住": model.StatusPresent, "常住": model.StatusPresent, "居住": model.StatusPresent,
		"外出": model.StatusAway, "离开": model.StatusAway, "迁出": model.StatusMoved, "已迁出": model.StatusMoved,
		"死亡": model.StatusDead, "已故": model.StatusDead, "去世": model.StatusDead, "已死亡": model.StatusDead}
)

// LedgerValue is how the ledger writes a coded value (男, 户主, 流动, 在住).
func LedgerValue(f LedgerField, code string) string {
	switch f {
	case FieldSex:
		return ledgerSex[model.Sex(code)]
	case FieldRelation:
		return ledgerRel[model.Relation(code)]
	case FieldKind:
		return ledgerKind[model.Kind(code)]
	case FieldStatus:
		return ledgerStatus[model.Status(code)]
	}
	return code
}

// LedgerChoices lists the values a template offers in a drop-down.
func LedgerChoices(f LedgerField) []string {
	var out []string
	switch f {
	case FieldSex:
		out = []string{ledgerSex[model.Male], ledgerSex[model.Female]}
	case FieldRelation:
		for _, r := range model.Relations {
			out = append(out, ledgerRel[r])
		}
	case FieldKind:
		for _, k := range model.Kinds {
			out = append(out, ledgerKind[k])
		}
	case FieldStatus:
		for _, s := range model.Statuses {
			out = append(out, ledgerStatus[s])
		}
	}
	return out
}
