package cli

import (
	"context"
	"fmt"

	flag "github.com/spf13/pflag"
	"strconv"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/report"
)

// couponVerbs are `shequ coupon merchant-add|merchants|batch-add|
// batch-edit|batches|issue|redeem|export`: 商户优惠券 from the command line.
func couponVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("coupon", name, run)
	}
	return []command{v("merchant-add", couponMerchantAdd), v("merchants", couponMerchants), v("batch-add", couponBatchAdd),
		v("batch-edit", couponBatchEdit), v("batches", couponBatches), v("issue", couponIssue), v("redeem", couponRedeem),
		v("export", couponExport)}
}

func merchantFlag(fs *flag.FlagSet) *string {
	return fs.String("merchant", "", i18n.L("cli.coupon.flag.merchant"))
}

func batchFlag(fs *flag.FlagSet) *int64 { return fs.Int64("batch", 0, i18n.L("cli.coupon.flag.batch")) }

func couponMerchantAdd(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "coupon merchant-add")
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	name := fs.String("name", "", i18n.L("cli.coupon.flag.name"))
	category := fs.String("category", "", i18n.L("cli.coupon.flag.category"))
	place := fs.String("place", "", i18n.L("cli.booking.flag.place"))
	contact := fs.String("contact", "", i18n.L("cli.booking.flag.contact"))
	phoneNo := fs.String("phone", "", i18n.L("cli.visitor.flag.phone"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	areaID, err := a.AreaByName(ctx, actor, *area)
	if err != nil {
		return err
	}
	if _, err := a.AddMerchant(ctx, actor, app.MerchantInput{AreaID: areaID, Name: *name, Category: *category, Place: *place, Contact: *contact,
		Phone: *phoneNo}); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("coupon.merchant_added", map[string]any{"Name": *name}))
	return nil
}

// merchantJSON is a merchant as --json prints it.
type merchantJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Place    string `json:"place"`
	Contact  string `json:"contact"`
	Phone    string `json:"phone"`
}

var couponMerchants = listing[model.Merchant, merchantJSON]{name: "coupon merchants", fetch: (*app.App).Merchants,
	json: func(m model.Merchant) merchantJSON {
		return merchantJSON{m.ID, m.Name, m.Category, m.Place, m.Contact, m.Phone}
	},
	header: func() []string {
		return []string{i18n.L("field.merchant_name"), i18n.L("field.category"), i18n.L("field.location"), i18n.L("field.contact"), i18n.L("field.phone")}
	},
	row: func(m model.Merchant) []string { return []string{m.Name, m.Category, m.Place, m.Contact, m.Phone} },
}.run

func couponBatchAdd(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "coupon batch-add")
	merchant := merchantFlag(fs)
	name := fs.String("name", "", i18n.L("cli.coupon.flag.name"))
	value := fs.String("value", "", i18n.L("cli.coupon.flag.value"))
	from, to := dateFlags(fs, "cli.coupon.flag.from", "cli.coupon.flag.to")
	quota := fs.String("quota", "", i18n.L("cli.coupon.flag.quota"))
	per := fs.String("per-resident", "", i18n.L("cli.coupon.flag.per"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	m, err := a.MerchantByName(ctx, actor, *merchant)
	if err != nil {
		return err
	}
	bid, err := a.AddBatch(ctx, actor, app.BatchInput{MerchantID: m.ID, Name: *name, Value: *value, From: *from, To: *to, Quota: *quota, PerResident: *per})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("coupon.batch_added", map[string]any{"Name": *name, "ID": bid}))
	return nil
}

func couponBatchEdit(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "coupon batch-edit")
	batch := batchFlag(fs)
	quota := fs.String("quota", "", i18n.L("cli.coupon.flag.quota"))
	to := fs.String("to", "", i18n.L("cli.coupon.flag.to"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	if err := a.EditBatch(ctx, actor, *batch, *quota, *to); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("coupon.batch_saved"))
	return nil
}

// batchJSON is a coupon batch and its figures as --json prints them;
// values in fen.
type batchJSON struct {
	ID          int64  `json:"id"`
	Merchant    string `json:"merchant"`
	Name        string `json:"name"`
	Value       int    `json:"value_fen"`
	From        string `json:"from"`
	To          string `json:"to"`
	Quota       int    `json:"quota"`
	PerResident int    `json:"per_resident"`
	Issued      int    `json:"issued"`
	Redeemed    int    `json:"redeemed"`
	Expired     int    `json:"expired"`
}

func couponBatches(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "coupon batches")
	merchant := merchantFlag(fs)
	out := fs.String("out", "", i18n.L("cli.ledger.flag.out"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	var mid int64
	if *merchant != "" {
		m, err := a.MerchantByName(ctx, actor, *merchant)
		if err != nil {
			return err
		}
		mid = m.ID
	}
	list, err := a.Batches(ctx, actor, mid)
	if err != nil {
		return err
	}
	if *asJSON {
		js := []batchJSON{}
		for _, b := range list {
			js = append(js, batchJSON{b.ID, b.Merchant, b.Name, b.Value, b.ValidFrom, b.ValidTo, b.Quota, b.PerResident, b.Issued, b.Redeemed, b.Expired})
		}
		return writeJSON(env, js)
	}
	rows := report.CouponRows(list)
	rows[0] = append([]string{"ID"}, rows[0]...)
	for i, b := range list {
		rows[i+1] = append([]string{strconv.FormatInt(b.ID, 10)}, rows[i+1]...)
	}
	rows[len(rows)-1] = append([]string{""}, rows[len(rows)-1]...)
	printTable(env.Stdout, rows)
	if *out != "" {
		if err := report.WriteCoupons(*out, list, a.Now()); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.chart.done", map[string]any{"Path": *out}))
	}
	return nil
}

func couponIssue(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "coupon issue")
	batch := batchFlag(fs)
	number := fs.String("id-number", "", i18n.L("cli.vaccine.flag.idnumber"))
	c := addCohortFlags(fs)
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	var issued, full int
	if *number != "" {
		issued, err = a.IssueCoupon(ctx, actor, *batch, app.ByNumber(*number))
	} else {
		var f app.ListFilter
		if f, err = c.filter(ctx, a, actor); err != nil {
			return err
		}
		issued, full, err = a.IssueCoupons(ctx, actor, *batch, f)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("coupon.issued", map[string]any{"Count": issued, "Full": full}))
	return nil
}

func couponRedeem(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "coupon redeem")
	merchant := merchantFlag(fs)
	code := fs.String("code", "", i18n.L("cli.coupon.flag.code"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	m, err := a.MerchantByName(ctx, actor, *merchant)
	if err != nil {
		return err
	}
	r, err := a.RedeemCoupon(ctx, actor, m.ID, *code)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("coupon.redeemed", map[string]any{"Name": r.Batch.Name, "Value": app.Yuan(r.Batch.Value), "Who": r.Resident}))
	return nil
}

func couponExport(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "coupon export")
	batch := batchFlag(fs)
	out := ledgerOut(fs)
	reveal, why := revealFlags(fs, "cli.ledger.flag.reveal")
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	n, err := a.ExportCoupons(ctx, actor, *batch, *out, *reveal, *why)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("coupon.exported", map[string]any{"Count": n, "Path": *out}))
	return nil
}
