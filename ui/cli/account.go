package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	flag "github.com/spf13/pflag"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// accountVerbs are `shequ account add|list|edit|disable|enable|reset|
// passwd`. The acting account signs in with --user and SHEQU_PASSWORD; a
// new password comes from SHEQU_NEW_PASSWORD (or a prompt in a terminal).
func accountVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("account", name, run)
	}
	return []command{v("add", accountAdd), v("list", accountList), v("edit", accountEdit),
		v("disable", func(ctx context.Context, env *Env, args []string) error { return accountStop(ctx, env, args, true) }),
		v("enable", func(ctx context.Context, env *Env, args []string) error { return accountStop(ctx, env, args, false) }),
		v("reset", accountReset), v("passwd", accountPasswd)}
}

// newPassword reads the new password: SHEQU_NEW_PASSWORD, or typed twice.
func newPassword(env *Env) (string, error) {
	if p := env.Getenv("SHEQU_NEW_PASSWORD"); p != "" {
		return p, nil
	}
	saved := env.Getenv
	env.Getenv = func(k string) string {
		if k == "SHEQU_PASSWORD" {
			return ""
		}
		return saved(k)
	}
	defer func() { env.Getenv = saved }()
	return password(env, true)
}

func accountAdd(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "account add")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	name := fs.String("name", "", i18n.L("cli.flag.name"))
	role := fs.String("role", "worker", i18n.L("cli.flag.role"))
	areas := fs.String("areas", "", i18n.L("cli.flag.areas"))
	reveal := fs.Bool("reveal", false, i18n.L("cli.flag.reveal"))
	export := fs.Bool("export", false, i18n.L("cli.flag.export"))
	personal := fs.Bool("personal-data", false, i18n.L("cli.flag.personaldata"))
	spec := fs.String("store", "", i18n.L("cli.flag.store"))
	if err := parse(env, fs, args); err != nil {
		return err
	}
	names := strings.FieldsFunc(*areas, func(r rune) bool { return r == ',' || r == '，' || r == '、' })
	if *spec != "" {
		// An account on the server, for its desktops to enrol with.
		s, actor, done, err := serverSession(ctx, env, *spec, *user)
		if err != nil {
			return err
		}
		defer done()
		pw, err := newPassword(env)
		if err != nil {
			return err
		}
		in := app.AccountInput{Username: *name, Password: pw, Role: model.Role(*role), CanReveal: *reveal, CanExport: *export, PersonalData: *personal}
		if err := s.AddAccount(ctx, actor, in, names); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.account.added", map[string]any{"Name": *name, "Role": i18n.L("role." + *role)}))
		return nil
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	var ids []int64
	for _, part := range names {
		id, err := a.AreaByName(ctx, actor, part)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	pw, err := newPassword(env)
	if err != nil {
		return err
	}
	in := app.AccountInput{Username: *name, Password: pw, Role: model.Role(*role), Areas: ids, CanReveal: *reveal, CanExport: *export,
		PersonalData: *personal}
	if _, err := a.CreateAccount(ctx, actor, in); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.account.added", map[string]any{"Name": *name, "Role": i18n.L("role." + *role)}))
	return nil
}

// accountJSON is one account in `account list --json`: stable keys and codes.
type accountJSON struct {
	Username     string   `json:"username"`
	Name         string   `json:"name"`
	Role         string   `json:"role"`
	Areas        []string `json:"areas"`
	Reveal       bool     `json:"reveal"`
	Export       bool     `json:"export"`
	PersonalData bool     `json:"personal_data"`
	Disabled     bool     `json:"disabled"`
}

func accountList(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "account list")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	accs, err := a.Accounts(ctx, actor)
	if err != nil {
		return err
	}
	areas, err := a.VisibleAreas(ctx, actor)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, ar := range areas {
		names[ar.ID] = ar.Name
	}
	if *asJSON {
		out := []accountJSON{}
		for _, acc := range accs {
			j := accountJSON{Username: acc.Username, Name: acc.DisplayName, Role: string(acc.Role), Areas: []string{}, Reveal: acc.CanReveal,
				Export: acc.CanExport, PersonalData: acc.PersonalData, Disabled: acc.Disabled}
			for _, id := range acc.AreaIDs {
				j.Areas = append(j.Areas, names[id])
			}
			out = append(out, j)
		}
		return json.NewEncoder(env.Stdout).Encode(out)
	}
	table := [][]string{{i18n.L("field.username"), i18n.L("field.display_name"), i18n.L("field.role"), i18n.L("field.area"),
		i18n.L("cli.account.perms"), i18n.L("accounts.state")}}
	for _, acc := range accs {
		var ars, perms []string
		for _, id := range acc.AreaIDs {
			ars = append(ars, names[id])
		}
		if acc.CanReveal {
			perms = append(perms, i18n.L("perm.reveal"))
		}
		if acc.CanExport {
			perms = append(perms, i18n.L("perm.export"))
		}
		if acc.PersonalData {
			perms = append(perms, i18n.L("accounts.personal"))
		}
		state := i18n.L("accounts.enabled")
		if acc.Disabled {
			state = i18n.L("accounts.disabled")
		}
		table = append(table, []string{acc.Username, acc.DisplayName, i18n.L("role." + string(acc.Role)), strings.Join(ars, "、"),
			strings.Join(perms, "、"), state})
	}
	printTable(env.Stdout, table)
	fmt.Fprintln(env.Stdout, i18n.L("cli.account.count", map[string]any{"Count": len(accs)}))
	return nil
}

func accountReset(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "account reset")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	name := fs.String("name", "", i18n.L("cli.flag.name"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	pw, err := newPassword(env)
	if err != nil {
		return err
	}
	if err := a.ResetPassword(ctx, actor, *name, pw); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.account.reset", map[string]any{"Name": *name}))
	return nil
}

func accountPasswd(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "account passwd")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	pw, err := newPassword(env)
	if err != nil {
		return err
	}
	if err := a.ChangePassword(ctx, actor, env.Getenv("SHEQU_PASSWORD"), pw); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.Field("password")+": "+i18n.L("cli.account.changed"))
	return nil
}

// accountEdit changes what is given of an account (--display-name, --role,
// --areas, --reveal, --export, --personal-data); the rest stays as it is.
func accountEdit(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "account edit")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	name := fs.String("name", "", i18n.L("cli.flag.name"))
	display := fs.String("display-name", "", i18n.L("cli.flag.displayname"))
	role := fs.String("role", "", i18n.L("cli.flag.role"))
	areas := fs.String("areas", "", i18n.L("cli.flag.areas"))
	reveal := fs.Bool("reveal", false, i18n.L("cli.flag.reveal"))
	export := fs.Bool("export", false, i18n.L("cli.flag.export"))
	personal := fs.Bool("personal-data", false, i18n.L("cli.flag.personaldata"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	accs, err := a.Accounts(ctx, actor)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(accs, func(acc model.Account) bool { return strings.EqualFold(acc.Username, strings.TrimSpace(*name)) })
	if i < 0 {
		return errors.New(i18n.L("cli.account.unknown", map[string]any{"Name": *name}))
	}
	acc := accs[i]
	in := app.AccountEdit{DisplayName: acc.DisplayName, Role: acc.Role, Areas: acc.AreaIDs, CanReveal: acc.CanReveal,
		CanExport: acc.CanExport, PersonalData: acc.PersonalData}
	var problem error
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "display-name":
			in.DisplayName = *display
		case "role":
			in.Role = model.Role(*role)
		case "reveal":
			in.CanReveal = *reveal
		case "export":
			in.CanExport = *export
		case "personal-data":
			in.PersonalData = *personal
		case "areas":
			in.Areas = nil
			for _, part := range strings.FieldsFunc(*areas, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
				id, err := a.AreaByName(ctx, actor, part)
				if err != nil && problem == nil {
					problem = err
				}
				in.Areas = append(in.Areas, id)
			}
		}
	})
	if problem != nil {
		return problem
	}
	if err := a.EditAccount(ctx, actor, acc.Username, in); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("accounts.edited", map[string]any{"Name": acc.Username}))
	return nil
}

// accountStop disables an account (it cannot sign in; its history stays)
// or enables it again.
func accountStop(ctx context.Context, env *Env, args []string, disable bool) error {
	verb := "enable"
	if disable {
		verb = "disable"
	}
	fs, db := flags(env, "account "+verb)
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	name := fs.String("name", "", i18n.L("cli.flag.name"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	if err := a.SetAccountDisabled(ctx, actor, *name, disable); err != nil {
		return err
	}
	key := "accounts.enabled.done"
	if disable {
		key = "accounts.disabled.done"
	}
	fmt.Fprintln(env.Stdout, i18n.L(key, map[string]any{"Name": *name}))
	return nil
}
