package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"shequ/app/ledger/xlsxwrite"
	"shequ/app/model"
	"shequ/app/phone"
	"shequ/store"
)

// 商户优惠券: merchants of a street or community, their coupon batches,
// coupons issued to residents or a cohort and redeemed once by code.

// Audit actions of merchants and coupons.
const (
	AuditMerchantAdd = "merchant.add"
	AuditBatchAdd    = "coupon.batch.add"
	AuditBatchEdit   = "coupon.batch.edit"
	AuditCouponIssue = "coupon.issue"
	AuditCouponUse   = "coupon.redeem"
)

// MerchantInput is a merchant as its form has it.
type MerchantInput struct {
	AreaID   int64
	Name     string
	Category string
	Place    string
	Contact  string
	Phone    string
}

// AddMerchant adds a merchant to a street or community the actor keeps.
func (a *App) AddMerchant(ctx context.Context, actor *Actor, in MerchantInput) (int64, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	_, keep, err := a.spaceAreas(ctx, actor)
	if err != nil {
		return 0, err
	}
	var ps Problems
	add := func(field, key string, data map[string]any) {
		ps = append(ps, Problem{Field: field, Key: key, Data: data})
	}
	m := model.Merchant{AreaID: in.AreaID, Name: strings.TrimSpace(in.Name), Category: strings.TrimSpace(in.Category),
		Place: strings.TrimSpace(in.Place), Contact: CleanName(in.Contact)}
	if !keeps(keep, in.AreaID) {
		add("area", "err.merchant.area", nil)
	}
	if n := utf8.RuneCountInString(m.Name); n == 0 || n > 60 {
		add("merchant_name", "err.merchant.name", map[string]any{"Max": 60})
	} else if same, err := a.st.Merchants(ctx, []int64{m.AreaID}, false); err != nil {
		return 0, err
	} else if slices.ContainsFunc(same, func(x model.Merchant) bool { return x.Name == m.Name }) {
		add("merchant_name", "err.merchant.exists", map[string]any{"Name": m.Name})
	}
	if p := strings.TrimSpace(in.Phone); p != "" {
		if m.Phone, err = phone.Normalize(p); err != nil {
			add("phone", "err.phone.invalid", nil)
		}
	}
	if len(ps) > 0 {
		return 0, ps
	}
	return a.st.AddMerchant(ctx, auditNote(actor.Account.Username, AuditMerchantAdd, "", map[string]any{"name": m.Name}), actor.Account.ID, m)
}

// Merchants lists the merchants the actor sees (of their areas and those
// above and below them).
func (a *App) Merchants(ctx context.Context, actor *Actor) ([]model.Merchant, error) {
	see, _, err := a.spaceAreas(ctx, actor)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(see))
	for id := range see {
		ids = append(ids, id)
	}
	return a.st.Merchants(ctx, ids, false)
}

// MerchantByName finds a merchant the actor sees by its name.
func (a *App) MerchantByName(ctx context.Context, actor *Actor, name string) (model.Merchant, error) {
	list, err := a.Merchants(ctx, actor)
	if err != nil {
		return model.Merchant{}, err
	}
	if m, ok := byName(list, name, func(m model.Merchant) string { return m.Name }); ok {
		return m, nil
	}
	return model.Merchant{}, problem("merchant", "err.merchant.unknown", map[string]any{"Name": name})
}

// BatchInput is a coupon batch as its form has it.
type BatchInput struct {
	MerchantID  int64
	Name        string
	Value       string // yuan: 20, 12.5, ¥20, 20元
	From, To    string // the days it is valid, both included
	Quota       string
	PerResident string // "" is 1
}

var yuanRe = regexp.MustCompile(`^[¥￥]?\s*(\d{1,6})(?:\.(\d{1,2}))?\s*元?$`)

// ParseYuan reads an amount of money in yuan as fen.
func ParseYuan(s string) (int, bool) {
	m := yuanRe.FindStringSubmatch(strings.TrimSpace(toHalfWidth(s)))
	if m == nil {
		return 0, false
	}
	y, _ := strconv.Atoi(m[1])
	f := 0
	if m[2] != "" {
		f, _ = strconv.Atoi((m[2] + "0")[:2])
	}
	return y*100 + f, y*100+f > 0
}

// Yuan shows fen as yuan: 20, 12.5.
func Yuan(fen int) string {
	if fen%100 == 0 {
		return strconv.Itoa(fen / 100)
	}
	return strings.TrimRight(fmt.Sprintf("%d.%02d", fen/100, fen%100), "0")
}

// AddBatch adds a coupon batch to a merchant the actor sees.
func (a *App) AddBatch(ctx context.Context, actor *Actor, in BatchInput) (int64, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	if _, err := a.merchant(ctx, actor, in.MerchantID); err != nil {
		return 0, err
	}
	var ps Problems
	add := func(field, key string, data map[string]any) {
		ps = append(ps, Problem{Field: field, Key: key, Data: data})
	}
	b := model.CouponBatch{MerchantID: in.MerchantID, Name: strings.TrimSpace(in.Name), PerResident: 1}
	if n := utf8.RuneCountInString(b.Name); n == 0 || n > 60 {
		add("batch_name", "err.coupon.name", map[string]any{"Max": 60})
	}
	var ok bool
	if b.Value, ok = ParseYuan(in.Value); !ok {
		add("value", "err.coupon.value", map[string]any{"Value": in.Value})
	}
	var ok1, ok2 bool
	if b.ValidFrom, ok1 = ParseDate(in.From); !ok1 {
		add("valid_from", "err.booking.day", map[string]any{"Value": in.From})
	}
	if b.ValidTo, ok2 = ParseDate(in.To); !ok2 {
		add("valid_to", "err.booking.day", map[string]any{"Value": in.To})
	}
	if ok1 && ok2 && b.ValidTo < b.ValidFrom {
		add("valid_to", "err.coupon.validity", map[string]any{"From": b.ValidFrom})
	} else if ok2 && b.ValidTo < a.Now().Format("2006-01-02") {
		add("valid_to", "err.coupon.past", nil)
	}
	var err error
	if b.Quota, err = strconv.Atoi(strings.TrimSpace(toHalfWidth(in.Quota))); err != nil || b.Quota < 1 || b.Quota > 10_000_000 {
		add("quota", "err.coupon.quota", map[string]any{"Value": in.Quota})
	}
	if p := strings.TrimSpace(toHalfWidth(in.PerResident)); p != "" {
		if b.PerResident, err = strconv.Atoi(p); err != nil || b.PerResident < 1 || b.PerResident > 100 {
			add("per_resident", "err.coupon.per", map[string]any{"Value": in.PerResident})
		}
	}
	if len(ps) > 0 {
		return 0, ps
	}
	return a.st.AddBatch(ctx, auditNote(actor.Account.Username, AuditBatchAdd, "", map[string]any{"name": b.Name, "merchant": b.MerchantID,
		"value": b.Value, "quota": b.Quota}), actor.Account.ID, b)
}

// EditBatch raises (or lowers, not below what was issued) a batch's total
// quota and moves its last valid day ("" keeps either as it is).
func (a *App) EditBatch(ctx context.Context, actor *Actor, id int64, quota, validTo string) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	b, err := a.batch(ctx, actor, id)
	if err != nil {
		return err
	}
	var ps Problems
	q, to := b.Quota, b.ValidTo
	if v := strings.TrimSpace(toHalfWidth(quota)); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil || n < 1 || n > 10_000_000:
			ps = append(ps, Problem{Field: "quota", Key: "err.coupon.quota", Data: map[string]any{"Value": quota}})
		case n < b.Issued:
			ps = append(ps, Problem{Field: "quota", Key: "err.coupon.quota_issued", Data: map[string]any{"Issued": b.Issued}})
		default:
			q = n
		}
	}
	if v := strings.TrimSpace(validTo); v != "" {
		d, ok := ParseDate(v)
		switch {
		case !ok:
			ps = append(ps, Problem{Field: "valid_to", Key: "err.booking.day", Data: map[string]any{"Value": validTo}})
		case d < b.ValidFrom:
			ps = append(ps, Problem{Field: "valid_to", Key: "err.coupon.validity", Data: map[string]any{"From": b.ValidFrom}})
		default:
			to = d
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return a.st.SetBatchLimits(ctx, auditNote(actor.Account.Username, AuditBatchEdit, fmt.Sprintf("batch:%d", id),
		map[string]any{"quota": q, "valid_to": to}), id, q, to)
}

// merchant reads a merchant the actor sees.
func (a *App) merchant(ctx context.Context, actor *Actor, id int64) (model.Merchant, error) {
	list, err := a.Merchants(ctx, actor)
	if err != nil {
		return model.Merchant{}, err
	}
	for _, m := range list {
		if m.ID == id {
			return m, nil
		}
	}
	return model.Merchant{}, fmt.Errorf("app: merchant %d: %w", id, model.ErrForbidden)
}

// Batches lists the coupon batches of the merchants the actor sees (or of
// one merchant), with what was issued, redeemed and has expired.
func (a *App) Batches(ctx context.Context, actor *Actor, merchant int64) ([]model.CouponBatch, error) {
	list, err := a.Merchants(ctx, actor)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, m := range list {
		if merchant == 0 || m.ID == merchant {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return a.st.Batches(ctx, ids, a.today())
}

// batch reads a batch of a merchant the actor sees.
func (a *App) batch(ctx context.Context, actor *Actor, id int64) (model.CouponBatch, error) {
	b, err := a.st.Batch(ctx, id, a.today())
	if err != nil {
		return b, err
	}
	_, err = a.merchant(ctx, actor, b.MerchantID)
	return b, err
}

// couponAlphabet leaves out 0, 1, I, L and O, which are misread when a
// code is read out at a counter.
const couponAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// newCouponCode draws a code of 10 characters (about 50 bits).
func newCouponCode() string {
	var b [10]byte
	n := big.NewInt(int64(len(couponAlphabet)))
	for i := range b {
		x, err := rand.Int(rand.Reader, n)
		if err != nil {
			panic(err) // crypto/rand does not fail on supported systems
		}
		b[i] = couponAlphabet[x.Int64()]
	}
	return string(b[:])
}

// CouponCode shows a code in two groups: 7K3PQ-XM9RT.
func CouponCode(code string) string {
	if len(code) != 10 {
		return code
	}
	return code[:5] + "-" + code[5:]
}

// cleanCouponCode reads a code as typed or scanned: any case, spaces and
// dashes, full-width characters.
func cleanCouponCode(s string) string {
	s = strings.ToUpper(toHalfWidth(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

// IssueCoupons gives the residents of a filter (those living in the
// actor's grids) a coupon each, up to the quota per resident; past the
// batch's total quota it gives none and says how many are left.
func (a *App) IssueCoupons(ctx context.Context, actor *Actor, batchID int64, f ListFilter) (issued, full int, err error) {
	if err := mayWrite(actor); err != nil {
		return 0, 0, err
	}
	b, err := a.batch(ctx, actor, batchID)
	if err != nil {
		return 0, 0, err
	}
	if b.ValidTo < a.today() {
		return 0, 0, problem("batch", "err.coupon.expired", map[string]any{"Name": b.Name, "To": b.ValidTo})
	}
	q, err := a.residentQuery(ctx, actor, f)
	if err != nil {
		return 0, 0, err
	}
	ids, err := a.st.ResidentIDs(ctx, q)
	if err != nil {
		return 0, 0, err
	}
	if len(ids) == 0 {
		return 0, 0, problem("batch", "err.coupon.nobody", nil)
	}
	issued, full, err = a.st.Issue(ctx, auditNote(actor.Account.Username, AuditCouponIssue, fmt.Sprintf("batch:%d", batchID),
		map[string]any{"residents": len(ids)}), actor.Account.ID, batchID, ids, newCouponCode)
	var qe *store.QuotaError
	if errors.As(err, &qe) {
		return 0, 0, problem("batch", "err.coupon.quota_left", map[string]any{"Want": qe.Want, "Left": qe.Left, "Name": b.Name})
	}
	return issued, full, err
}

// IssueCoupon gives one resident a coupon.
func (a *App) IssueCoupon(ctx context.Context, actor *Actor, batchID int64, who Who) (int, error) {
	r, err := a.attendee(ctx, actor, who)
	if err != nil {
		return 0, err
	}
	issued, full, err := a.IssueCoupons(ctx, actor, batchID, ListFilter{IDs: []int64{r.ID}})
	if p, ok := err.(Problems); ok && len(p) == 1 && p[0].Key == "err.coupon.nobody" {
		return 0, problem("id_number", "err.coupon.notliving", map[string]any{"Name": r.Name})
	}
	if err == nil && full > 0 {
		return 0, problem("id_number", "err.coupon.has", map[string]any{"Name": r.Name})
	}
	return issued, err
}

// Redeemed is a coupon just redeemed, for the counter's message.
type Redeemed struct {
	Batch    model.CouponBatch
	Resident string // the surname (张**), or HiddenName for a holder outside the actor's grids
}

// RedeemCoupon redeems a coupon by its code at a merchant, once, within
// its validity.
func (a *App) RedeemCoupon(ctx context.Context, actor *Actor, merchantID int64, code string) (Redeemed, error) {
	if err := mayWrite(actor); err != nil {
		return Redeemed{}, err
	}
	m, err := a.merchant(ctx, actor, merchantID)
	if err != nil {
		return Redeemed{}, err
	}
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return Redeemed{}, err
	}
	clean := cleanCouponCode(code)
	c, b, err := a.st.CouponByCode(ctx, clean, a.today())
	if errors.Is(err, model.ErrNotFound) {
		return Redeemed{}, problem("code", "err.coupon.unknown", map[string]any{"Code": strings.TrimSpace(code)})
	}
	if err != nil {
		return Redeemed{}, err
	}
	switch d := a.today(); {
	case b.MerchantID != m.ID:
		return Redeemed{}, problem("code", "err.coupon.merchant", map[string]any{"Merchant": b.Merchant})
	case c.Redeemed != "":
		return Redeemed{}, problem("code", "err.coupon.used", map[string]any{"At": localTime(c.Redeemed)})
	case d < b.ValidFrom:
		return Redeemed{}, problem("code", "err.coupon.early", map[string]any{"From": b.ValidFrom})
	case d > b.ValidTo:
		return Redeemed{}, problem("code", "err.coupon.late", map[string]any{"To": b.ValidTo})
	}
	err = a.st.Redeem(ctx, auditNote(actor.Account.Username, AuditCouponUse, fmt.Sprintf("coupon:%d", c.ID),
		map[string]any{"merchant": m.ID, "batch": b.ID}), c.ID)
	if errors.Is(err, model.ErrConflict) { // redeemed at another counter a moment ago
		return Redeemed{}, problem("code", "err.coupon.used", map[string]any{"At": a.today()})
	}
	if err != nil {
		return Redeemed{}, err
	}
	// The counter sees the holder's surname, if the holder is of its grids.
	who, _, _ := personSeen(sc, c.Grid, false, c.Name, "", "")
	if who != HiddenName {
		who = MaskName(c.Name)
	}
	return Redeemed{Batch: b, Resident: who}, nil
}

// CouponHeader is the layout of a batch's coupons exported.
var CouponHeader = []string{"序号", "姓名", "公民身份号码", "联系电话", "券码", "发放时间", "核销时间"}

// ExportCoupons writes a batch's coupons with their residents, for sending
// the codes out; ID numbers and phones masked unless revealed with a
// reason. It needs the export permission and is audited; coupons of
// residents outside the actor's grids are left out.
func (a *App) ExportCoupons(ctx context.Context, actor *Actor, batchID int64, path string, reveal bool, reason string) (int, error) {
	if err := mayExport(actor, "coupons", path, reveal, reason); err != nil {
		return 0, err
	}
	b, err := a.batch(ctx, actor, batchID)
	if err != nil {
		return 0, err
	}
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return 0, err
	}
	// The coupons of the actor's grids first (a batch's quota bounds them):
	// the workbook states its rows before they are written.
	var rows [][]string
	err = a.st.EachCoupon(ctx, batchID, func(c *store.CouponRow) error {
		if !inScope(sc, c.Grid) {
			return nil
		}
		number, ph := c.IDNumber, c.Phone
		if !reveal {
			number, ph = MaskIDNumber(number), MaskPhone(ph)
		}
		used := ""
		if c.Redeemed != "" {
			used = localTime(c.Redeemed)
		}
		rows = append(rows, []string{strconv.Itoa(len(rows) + 1), c.Name, number, ph, CouponCode(c.Code), localTime(c.Issued), used})
		return nil
	})
	if err != nil {
		return 0, err
	}
	title := fmt.Sprintf("%s %s %s元（%s 至 %s，发放 %d，核销 %d）", b.Merchant, b.Name, Yuan(b.Value), b.ValidFrom, b.ValidTo, b.Issued, b.Redeemed)
	w, err := listWriter(path, CouponHeader, xlsxwrite.Options{Sheet: "优惠券", Title: title, Rows: len(rows), Creator: actor.Account.Username})
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			w.Abort()
			return 0, err
		}
	}
	seq := len(rows)
	if err := w.Close(); err != nil {
		return 0, err
	}
	return seq, a.audit(ctx, actor.Account.Username, AuditExport, filepath.Base(path), map[string]any{"what": "coupons", "batch": batchID,
		"reveal": reveal, "reason": reason, "rows": seq})
}
