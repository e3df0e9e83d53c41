package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"shequ/app"
	"shequ/ui/i18n"
	"shequ/ui/report"
)

// runCoupon is `shequ coupon merchant-add|merchants|batch-add|batch-edit|batches|issue|redeem|export`:
// 商户优惠券 from the command line.
func runCoupon(ctx context.Context, env *Env, args []string) error {
	verbs := []string{"merchant-add", "merchants", "batch-add", "batch-edit", "batches", "issue", "redeem", "export"}
	if len(args) == 0 || !slices.Contains(verbs, args[0]) {
		return errors.New(i18n.L("cli.coupon.usage"))
	}
	verb := args[0]
	fs, db := flags(env, "coupon")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	merchant := fs.String("merchant", "", i18n.L("cli.coupon.flag.merchant"))
	name := fs.String("name", "", i18n.L("cli.coupon.flag.name"))
	category := fs.String("category", "", i18n.L("cli.coupon.flag.category"))
	place := fs.String("place", "", i18n.L("cli.booking.flag.place"))
	contact := fs.String("contact", "", i18n.L("cli.booking.flag.contact"))
	phoneNo := fs.String("phone", "", i18n.L("cli.visitor.flag.phone"))
	value := fs.String("value", "", i18n.L("cli.coupon.flag.value"))
	from := fs.String("from", "", i18n.L("cli.coupon.flag.from"))
	to := fs.String("to", "", i18n.L("cli.coupon.flag.to"))
	quota := fs.String("quota", "", i18n.L("cli.coupon.flag.quota"))
	per := fs.String("per-resident", "", i18n.L("cli.coupon.flag.per"))
	batch := fs.Int64("batch", 0, i18n.L("cli.coupon.flag.batch"))
	number := fs.String("id-number", "", i18n.L("cli.vaccine.flag.idnumber"))
	code := fs.String("code", "", i18n.L("cli.coupon.flag.code"))
	out := fs.String("out", "", i18n.L("cli.ledger.flag.out"))
	reveal := fs.Bool("reveal", false, i18n.L("cli.ledger.flag.reveal"))
	why := fs.String("why", "", i18n.L("cli.flag.reason"))
	var c *cohortFlags
	if verb == "issue" {
		c = addCohortFlags(fs)
	} else {
		fs.String("area", "", i18n.L("cli.flag.area"))
	}
	pos, err := parseArgs(env, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return errors.New(i18n.L("cli.coupon.usage"))
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
		fmt.Fprintln(env.Stdout, i18n.L("coupon.merchant_added", map[string]any{"Name": *name}))
	case "merchants":
		list, err := a.Merchants(ctx, actor)
		if err != nil {
			return err
		}
		rows := [][]string{{i18n.L("field.merchant_name"), i18n.L("field.category"), i18n.L("field.location"), i18n.L("field.contact"), i18n.L("field.phone")}}
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
		fmt.Fprintln(env.Stdout, i18n.L("coupon.batch_added", map[string]any{"Name": *name, "ID": bid}))
	case "batch-edit":
		if err := a.EditBatch(ctx, actor, *batch, *quota, *to); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("coupon.batch_saved"))
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
			fmt.Fprintln(env.Stdout, i18n.L("cli.chart.done", map[string]any{"Path": *out}))
		}
	case "issue":
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
	case "redeem":
		mid, err := merchantID()
		if err != nil {
			return err
		}
		r, err := a.RedeemCoupon(ctx, actor, mid, *code)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("coupon.redeemed", map[string]any{"Name": r.Batch.Name, "Value": app.Yuan(r.Batch.Value), "Who": r.Resident}))
	case "export":
		if *out == "" {
			return errors.New(i18n.L("cli.ledger.noout"))
		}
		n, err := a.ExportCoupons(ctx, actor, *batch, *out, *reveal, *why)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("coupon.exported", map[string]any{"Count": n, "Path": *out}))
	}
	return nil
}
