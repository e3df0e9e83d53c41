package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"fyne.io/fyne/v2/lang"

	"shequ/app"
	"shequ/report"
)

// runCoupon is `shequ coupon merchant-add|merchants|batch-add|batches|issue|redeem|export`:
// 商户优惠券 from the command line.
func runCoupon(ctx context.Context, env *Env, args []string) error {
	verbs := []string{"merchant-add", "merchants", "batch-add", "batch-edit", "batches", "issue", "redeem", "export"}
	if len(args) == 0 || !slices.Contains(verbs, args[0]) {
		return errors.New(lang.L("cli.coupon.usage"))
	}
	verb := args[0]
	fs, db := flags(env, "coupon")
	user := fs.String("user", "", lang.L("cli.flag.user"))
	merchant := fs.String("merchant", "", lang.L("cli.coupon.flag.merchant"))
	name := fs.String("name", "", lang.L("cli.coupon.flag.name"))
	category := fs.String("category", "", lang.L("cli.coupon.flag.category"))
	place := fs.String("place", "", lang.L("cli.booking.flag.place"))
	contact := fs.String("contact", "", lang.L("cli.booking.flag.contact"))
	phoneNo := fs.String("phone", "", lang.L("cli.visitor.flag.phone"))
	value := fs.String("value", "", lang.L("cli.coupon.flag.value"))
	from := fs.String("from", "", lang.L("cli.coupon.flag.from"))
	to := fs.String("to", "", lang.L("cli.coupon.flag.to"))
	quota := fs.String("quota", "", lang.L("cli.coupon.flag.quota"))
	per := fs.String("per-resident", "", lang.L("cli.coupon.flag.per"))
	batch := fs.Int64("batch", 0, lang.L("cli.coupon.flag.batch"))
	number := fs.String("id-number", "", lang.L("cli.vaccine.flag.idnumber"))
	code := fs.String("code", "", lang.L("cli.coupon.flag.code"))
	out := fs.String("out", "", lang.L("cli.ledger.flag.out"))
	reveal := fs.Bool("reveal", false, lang.L("cli.ledger.flag.reveal"))
	why := fs.String("why", "", lang.L("cli.flag.reason"))
	var c *cohortFlags
	if verb == "issue" {
		c = addCohortFlags(fs)
	} else {
		fs.String("area", "", lang.L("cli.flag.area"))
	}
	pos, err := parseArgs(env, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return errors.New(lang.L("cli.coupon.usage"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	merchantID := func() (int64, error) {
		m, err := a.MerchantByName(ctx, actor, *merchant)
		return m.ID, err
	}
	switch verb {
	case "merchant-add":
		areaID, err := a.AreaByName(ctx, actor, fs.Lookup("area").Value.String())
		if err != nil {
			return err
		}
		if _, err := a.AddMerchant(ctx, actor, app.MerchantInput{AreaID: areaID, Name: *name, Category: *category, Place: *place, Contact: *contact,
			Phone: *phoneNo}); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, lang.L("coupon.merchant_added", map[string]any{"Name": *name}))
	case "merchants":
		list, err := a.Merchants(ctx, actor)
		if err != nil {
			return err
		}
		rows := [][]string{{lang.L("field.merchant_name"), lang.L("field.category"), lang.L("field.location"), lang.L("field.contact"), lang.L("field.phone")}}
		for _, m := range list {
			rows = append(rows, []string{m.Name, m.Category, m.Place, m.Contact, m.Phone})
		}
		printTable(env.Stdout, rows)
	case "batch-add":
		mid, err := merchantID()
		if err != nil {
			return err
		}
		bid, err := a.AddBatch(ctx, actor, app.BatchInput{MerchantID: mid, Name: *name, Value: *value, From: *from, To: *to, Quota: *quota, PerResident: *per})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, lang.L("coupon.batch_added", map[string]any{"Name": *name, "ID": bid}))
	case "batch-edit":
		if err := a.EditBatch(ctx, actor, *batch, *quota, *to); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, lang.L("coupon.batch_saved"))
	case "batches":
		var mid int64
		if *merchant != "" {
			if mid, err = merchantID(); err != nil {
				return err
			}
		}
		list, err := a.Batches(ctx, actor, mid)
		if err != nil {
			return err
		}
		rows := report.CouponRows(list)
		rows[0] = append([]string{"ID"}, rows[0]...)
		for i, b := range list {
			rows[i+1] = append([]string{strconv.FormatInt(b.ID, 10)}, rows[i+1]...)
		}
		rows[len(rows)-1] = append([]string{""}, rows[len(rows)-1]...)
		printTable(env.Stdout, rows)
		if *out != "" {
			if err := report.WriteCoupons(*out, list); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, lang.L("cli.chart.done", map[string]any{"Path": *out}))
		}
	case "issue":
		var issued, full int
		if *number != "" {
			issued, err = a.IssueCoupon(ctx, actor, *batch, *number)
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
		fmt.Fprintln(env.Stdout, lang.L("coupon.issued", map[string]any{"Count": issued, "Full": full}))
	case "redeem":
		mid, err := merchantID()
		if err != nil {
			return err
		}
		r, err := a.RedeemCoupon(ctx, actor, mid, *code)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, lang.L("coupon.redeemed", map[string]any{"Name": r.Batch.Name, "Value": app.Yuan(r.Batch.Value), "Who": r.Resident}))
	case "export":
		if *out == "" {
			return errors.New(lang.L("cli.ledger.noout"))
		}
		n, err := a.ExportCoupons(ctx, actor, *batch, *out, *reveal, *why)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, lang.L("coupon.exported", map[string]any{"Count": n, "Path": *out}))
	}
	return nil
}
