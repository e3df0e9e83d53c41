package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	flag "github.com/spf13/pflag"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/report"
)

// word reads a code from its word (label: the UI language's 来电, 已受理,
// 满意 …, or the ledger's) or the code itself; "" stays "".
func word[T ~string](in string, all []T, label func(T) string) (T, error) {
	in = strings.TrimSpace(in)
	if in == "" {
		return "", nil
	}
	for _, v := range all {
		if in == string(v) || in == label(v) {
			return v, nil
		}
	}
	return "", errors.New(i18n.L("cli.cohort.badword", map[string]any{"Word": in}))
}

func appealVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("appeal", name, run)
	}
	return []command{
		v("add", appealAdd), v("list", appealList), v("show", appealShow),
		v("assign", appealAssign), v("advance", appealAdvance), v("return", appealReturn),
		v("extend", appealExtend), v("reopen", appealReopen), v("stats", appealStats),
		v("categories", appealCategories), v("holiday", appealHoliday), v("import", appealImport).takes("cli.arg.xlsx"),
	}
}

func appealFlags(env *Env, name string) (fs *flag.FlagSet, db, user *string) {
	return userFlags(env, "appeal "+name)
}

// dateFlags are --from and --to, a day each; --to-date, the old spelling
// of --to, still works.
func dateFlags(fs *flag.FlagSet, from, to string) (*string, *string) {
	f := fs.String("from", "", i18n.L(from))
	t := fs.String("to", "", i18n.L(to))
	fs.StringVar(t, "to-date", "", i18n.L(to))
	fs.MarkHidden("to-date")
	return f, t
}

// idFlag is --id, the appeal's number.
func idFlag(fs *flag.FlagSet) *int64 { return fs.Int64("id", 0, i18n.L("cli.appeal.flag.id")) }

func needID(id int64) error {
	if id <= 0 {
		return usageError(i18n.L("cli.appeal.noid"))
	}
	return nil
}

func appealAdd(ctx context.Context, env *Env, args []string) error {
	fs, db, user := appealFlags(env, "add")
	channel := fs.String("channel", "", i18n.L("cli.appeal.flag.channel"))
	category := fs.String("category", "", i18n.L("cli.appeal.flag.category"))
	content := fs.String("content", "", i18n.L("cli.appeal.flag.content"))
	urgency := fs.String("urgency", "", i18n.L("cli.appeal.flag.urgency"))
	reporterID := fs.String("reporter-id-number", "", i18n.L("cli.appeal.flag.reporterid"))
	reporter := fs.String("reporter", "", i18n.L("cli.appeal.flag.reporter"))
	phoneNo := fs.String("phone", "", i18n.L("cli.appeal.flag.phone"))
	place := fs.String("place", "", i18n.L("cli.appeal.flag.place"))
	compound := fs.String("compound", "", i18n.L("cli.flag.compound"))
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	external := fs.String("external", "", i18n.L("cli.appeal.flag.external"))
	received := fs.String("received", "", i18n.L("cli.appeal.flag.received"))
	var photos multi
	fs.Var(&photos, "photo", i18n.L("cli.appeal.flag.photo"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	in := app.AppealInput{Category: *category, Content: *content, ReporterIDNumber: *reporterID, ReporterName: *reporter,
		ReporterPhone: *phoneNo, Place: *place, ExternalNo: *external}
	if in.Channel, err = word(*channel, model.Channels, i18n.Channel); err != nil {
		return err
	}
	if in.Urgency, err = word(*urgency, []model.Urgency{model.UrgencyNormal, model.UrgencyUrgent}, i18n.Urgency); err != nil {
		return err
	}
	if in.GridID, err = a.AreaByName(ctx, actor, *area); err != nil {
		return err
	}
	if in.CompoundID, err = a.CompoundByName(ctx, actor, in.GridID, *compound); err != nil {
		return err
	}
	if *received != "" {
		d, ok := app.ParseDate(*received)
		if !ok {
			return errors.New(i18n.L("err.date.invalid"))
		}
		t, _ := time.ParseInLocation("2006-01-02", d, time.Local)
		in.Received = t.Add(9 * time.Hour) // a paper record of that day, in office hours
	}
	if in.Photos, err = readPhotos(photos); err != nil {
		return err
	}
	n, err := a.TakeAppeal(ctx, actor, in)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, n)
	return nil
}

// readPhotos reads the --photo files by their names; none is nil.
func readPhotos(paths []string) (map[string][]byte, error) {
	var photos map[string][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if photos == nil {
			photos = map[string][]byte{}
		}
		photos[filepath.Base(p)] = data
	}
	return photos, nil
}

func appealList(ctx context.Context, env *Env, args []string) error {
	fs, db, user := appealFlags(env, "list")
	channel := fs.String("channel", "", i18n.L("cli.appeal.flag.channel"))
	category := fs.String("category", "", i18n.L("cli.appeal.flag.category"))
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	status := fs.String("status", "", i18n.L("cli.appeal.flag.status"))
	todo := fs.Bool("todo", false, i18n.L("cli.appeal.flag.todo"))
	overdue := fs.Bool("overdue", false, i18n.L("cli.appeal.flag.overdue"))
	from, until := dateFlags(fs, "cli.appeal.flag.from", "cli.appeal.flag.todate")
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	f := app.AppealFilter{Todo: *todo, Overdue: *overdue, From: *from, To: *until}
	if f.AreaID, err = a.AreaByName(ctx, actor, *area); err != nil {
		return err
	}
	for _, w := range strings.FieldsFunc(*status, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		st, err := word(w, model.AppealStatuses, i18n.AppealStatus)
		if err != nil {
			return err
		}
		f.Statuses = append(f.Statuses, st)
	}
	if f.Channel, err = word(*channel, model.Channels, i18n.Channel); err != nil {
		return err
	}
	if *category != "" {
		if f.CategoryID, err = categoryID(ctx, a, *category); err != nil {
			return err
		}
	}
	rows, err := a.Appeals(ctx, actor, f)
	if err != nil {
		return err
	}
	return printAppeals(env, rows, *asJSON)
}

func appealShow(ctx context.Context, env *Env, args []string) error {
	fs, db, user := appealFlags(env, "show")
	id := idFlag(fs)
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	if err := parse(env, fs, args); err != nil {
		return err
	}
	if err := needID(*id); err != nil {
		return err
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	d, err := a.AppealDetail(ctx, actor, *id)
	if err != nil {
		return err
	}
	return printAppeal(env, d, *asJSON)
}

// appealStep is a verb that moves an appeal on: its flags (--id, --comment
// and those extra adds), then the step made of them, then the new status.
func appealStep(ctx context.Context, env *Env, args []string, name string,
	extra func(fs *flag.FlagSet) func(ctx context.Context, a *app.App, actor *app.Actor, id int64, comment string) (app.StepInput, error)) error {
	fs, db, user := appealFlags(env, name)
	id := idFlag(fs)
	comment := fs.String("comment", "", i18n.L("cli.appeal.flag.comment"))
	make := extra(fs)
	if err := parse(env, fs, args); err != nil {
		return err
	}
	if err := needID(*id); err != nil {
		return err
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	in, err := make(ctx, a, actor, *id, *comment)
	if err != nil {
		return err
	}
	if err := a.AdvanceAppeal(ctx, actor, *id, in); err != nil {
		return err
	}
	d, err := a.AppealDetail(ctx, actor, *id)
	if err != nil {
		return err
	}
	key := "cli.appeal.stepped"
	if d.Status == model.AppealClosed {
		key = "cli.appeal.stepped.done"
	}
	fmt.Fprintln(env.Stdout, i18n.L(key, map[string]any{"ID": *id, "Status": i18n.AppealStatus(d.Status), "Due": d.Due}))
	return nil
}

// simpleStep is a step of one action and the comment.
func simpleStep(act model.AppealAction) func(fs *flag.FlagSet) func(context.Context, *app.App, *app.Actor, int64, string) (app.StepInput, error) {
	return func(*flag.FlagSet) func(context.Context, *app.App, *app.Actor, int64, string) (app.StepInput, error) {
		return func(_ context.Context, _ *app.App, _ *app.Actor, _ int64, comment string) (app.StepInput, error) {
			return app.StepInput{Action: act, Comment: comment}, nil
		}
	}
}

func appealAssign(ctx context.Context, env *Env, args []string) error {
	return appealStep(ctx, env, args, "assign", func(fs *flag.FlagSet) func(context.Context, *app.App, *app.Actor, int64, string) (app.StepInput, error) {
		to := fs.String("to", "", i18n.L("cli.appeal.flag.assignee"))
		return func(_ context.Context, _ *app.App, _ *app.Actor, _ int64, comment string) (app.StepInput, error) {
			return app.StepInput{Action: model.ActReassign, Assignee: *to, Comment: comment}, nil
		}
	})
}

func appealAdvance(ctx context.Context, env *Env, args []string) error {
	return appealStep(ctx, env, args, "advance", func(fs *flag.FlagSet) func(context.Context, *app.App, *app.Actor, int64, string) (app.StepInput, error) {
		to := fs.String("to", "", i18n.L("cli.appeal.flag.target"))
		reply := fs.String("reply", "", i18n.L("cli.appeal.flag.reply"))
		method := fs.String("method", "", i18n.L("cli.appeal.flag.method"))
		satisfaction := fs.String("satisfaction", "", i18n.L("cli.appeal.flag.satisfaction"))
		return func(ctx context.Context, a *app.App, actor *app.Actor, id int64, comment string) (app.StepInput, error) {
			target, err := word(*to, model.AppealStatuses, i18n.AppealStatus)
			if err != nil || target == "" {
				return app.StepInput{}, usageError(i18n.L("cli.appeal.to"))
			}
			d, err := a.AppealDetail(ctx, actor, id)
			if err != nil {
				return app.StepInput{}, err
			}
			// A step the appeal's status does not allow is refused with the reason.
			in := app.StepInput{Action: app.ActionTo(d.Status, target), Comment: comment, Reply: *reply}
			if in.Method, err = word(*method, model.ReplyMethods, i18n.ReplyMethod); err != nil {
				return in, err
			}
			in.Satisfaction, err = word(*satisfaction, model.Satisfactions, i18n.Satisfaction)
			return in, err
		}
	})
}

func appealReturn(ctx context.Context, env *Env, args []string) error {
	return appealStep(ctx, env, args, "return", simpleStep(model.ActReturn))
}

func appealReopen(ctx context.Context, env *Env, args []string) error {
	return appealStep(ctx, env, args, "reopen", simpleStep(model.ActReopen))
}

func appealExtend(ctx context.Context, env *Env, args []string) error {
	return appealStep(ctx, env, args, "extend", func(fs *flag.FlagSet) func(context.Context, *app.App, *app.Actor, int64, string) (app.StepInput, error) {
		days := fs.Int("days", 0, i18n.L("cli.appeal.flag.days"))
		return func(_ context.Context, _ *app.App, _ *app.Actor, _ int64, comment string) (app.StepInput, error) {
			return app.StepInput{Action: model.ActExtend, Comment: comment, Days: *days}, nil
		}
	})
}

func appealStats(ctx context.Context, env *Env, args []string) error {
	fs, db, user := appealFlags(env, "stats")
	from, until := dateFlags(fs, "cli.appeal.flag.from", "cli.appeal.flag.todate")
	by := fs.String("by", "category", i18n.L("cli.appeal.flag.by"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	out := fs.String("out", "", i18n.L("cli.appeal.flag.out"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	s, err := a.AppealStats(ctx, actor, *from, *until, *by)
	if err != nil {
		return err
	}
	if *out == "" {
		return printAppealStats(env, s, *asJSON)
	}
	if err := report.WriteAppealStats(*out, s); err != nil {
		return err
	}
	if err := a.NoteReport(ctx, actor, *out, app.ListFilter{}); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.chart.done", map[string]any{"Path": *out}))
	return nil
}

// categoryJSON is an appeal category as --json prints it: the days to
// accept, answer and close, normal and urgent.
type categoryJSON struct {
	ID     int64        `json:"id"`
	Name   string       `json:"name"`
	Normal deadlineJSON `json:"normal_days"`
	Urgent deadlineJSON `json:"urgent_days"`
}

type deadlineJSON struct {
	Accept int `json:"accept"`
	Answer int `json:"answer"`
	Close  int `json:"close"`
}

var appealCategories = listing[model.AppealCategory, categoryJSON]{name: "appeal categories",
	fetch: func(a *app.App, ctx context.Context, _ *app.Actor) ([]model.AppealCategory, error) {
		return a.AppealCategories(ctx)
	},
	json: func(c model.AppealCategory) categoryJSON {
		return categoryJSON{c.ID, c.Name, deadlineJSON{c.AcceptDays, c.AnswerDays, c.CloseDays}, deadlineJSON{c.UrgentAccept, c.UrgentAnswer, c.UrgentClose}}
	},
	header: func() []string {
		return []string{i18n.L("appeal.col.category"), i18n.L("cli.appeal.days.normal"), i18n.L("cli.appeal.days.urgent")}
	},
	row: func(c model.AppealCategory) []string {
		return []string{c.Name, fmt.Sprintf("%d / %d / %d", c.AcceptDays, c.AnswerDays, c.CloseDays),
			fmt.Sprintf("%d / %d / %d", c.UrgentAccept, c.UrgentAnswer, c.UrgentClose)}
	},
}.run

func appealImport(ctx context.Context, env *Env, args []string) error {
	fs, db, user := appealFlags(env, "import")
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	dry := fs.Bool("dry-run", false, i18n.L("cli.flag.dryrun"))
	pos, err := parseN(env, fs, args, 1)
	if err != nil {
		return err
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	grid, err := a.AreaByName(ctx, actor, *area)
	if err != nil {
		return err
	}
	res, err := a.ImportHotline(ctx, actor, pos[0], app.HotlineOptions{Grid: grid, DryRun: *dry})
	if err != nil {
		return err
	}
	for i, p := range res.Problems {
		if i == 20 {
			fmt.Fprintln(env.Stderr, i18n.L("cli.import.more", map[string]any{"Count": len(res.Problems) - 20}))
			break
		}
		fmt.Fprintln(env.Stderr, i18n.ImportProblem(p))
	}
	if res.Failed() {
		return errors.New(i18n.L("cli.hotline.failed"))
	}
	key := "cli.hotline.done"
	if res.DryRun {
		key = "cli.hotline.dry"
	}
	fmt.Fprintln(env.Stdout, i18n.L(key, map[string]any{"Count": res.Imported, "Dup": res.Duplicates, "Warnings": len(res.Problems)}))
	if grids := i18n.HotlineGrids(res); grids != "" {
		fmt.Fprintln(env.Stdout, grids)
	}
	return nil
}

// appealHoliday marks the office's days off and workdays (--from --to
// [--workday] [--clear]); `holiday list [--year] [--json]` lists a year's
// marked days, official and the office's.
func appealHoliday(ctx context.Context, env *Env, args []string) error {
	fs, db, user := appealFlags(env, "holiday")
	from, until := dateFlags(fs, "cli.appeal.flag.from", "cli.appeal.flag.todate")
	workday := fs.Bool("workday", false, i18n.L("cli.appeal.flag.workday"))
	clear := fs.Bool("clear", false, i18n.L("cli.appeal.flag.clear"))
	year := fs.Int("year", 0, i18n.L("cli.appeal.flag.year"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	listDays := len(pos) == 1 && pos[0] == "list"
	if len(pos) > 0 && !listDays {
		return usageError(i18n.L("cli.appeal.usage"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	if listDays {
		return listHolidays(ctx, env, a, *year, *asJSON)
	}
	n, err := a.SetCalendarDays(ctx, actor, *from, *until, *workday, *clear)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.appeal.holiday.done", map[string]any{"Count": n}))
	return nil
}

// listHolidays prints a year's marked days: the official holidays and
// make-up workdays, and the office's own.
func listHolidays(ctx context.Context, env *Env, a *app.App, year int, asJSON bool) error {
	spans, err := a.Holidays(ctx, year)
	if err != nil {
		return err
	}
	if asJSON {
		type spanJSON struct {
			From    string `json:"from"`
			To      string `json:"to"`
			Workday bool   `json:"workday"`
			Name    string `json:"name"`
			Office  bool   `json:"office"`
		}
		list := []spanJSON{}
		for _, s := range spans {
			list = append(list, spanJSON{s.From, s.To, s.Workday, s.Name, s.Office})
		}
		return json.NewEncoder(env.Stdout).Encode(list)
	}
	for _, s := range spans {
		fmt.Fprintln(env.Stdout, i18n.HolidaySpan(s))
	}
	return nil
}

func categoryID(ctx context.Context, a *app.App, name string) (int64, error) {
	cats, err := a.AppealCategories(ctx)
	if err != nil {
		return 0, err
	}
	for _, c := range cats {
		if c.Name == name {
			return c.ID, nil
		}
	}
	return 0, errors.New(i18n.L("err.appeal.category", map[string]any{"Name": name}))
}

// appealJSON is an appeal as --json prints it: statuses, channels and
// the like as their codes (pending, hotline …), the same in every language.
type appealJSON struct {
	ID       int64    `json:"id"`
	Status   string   `json:"status"`
	Channel  string   `json:"channel"`
	Category string   `json:"category"`
	Urgency  string   `json:"urgency"`
	Content  string   `json:"content"`
	Reporter string   `json:"reporter"`
	Phone    string   `json:"phone"`
	Place    string   `json:"place"`
	Grid     string   `json:"grid,omitempty"`
	Assignee string   `json:"assignee"`
	Received string   `json:"received"`
	Due      string   `json:"due"`
	Overdue  bool     `json:"overdue"`
	DueSoon  bool     `json:"due_soon"`
	Reply    string   `json:"reply,omitempty"`
	Verdict  string   `json:"satisfaction,omitempty"`
	External string   `json:"external,omitempty"`
	Timeline []step   `json:"timeline,omitempty"`
	Allowed  []string `json:"allowed,omitempty"`
}

type step struct {
	Action  string `json:"action"`
	To      string `json:"to"`
	Account string `json:"account"`
	At      string `json:"at"`
	Comment string `json:"comment,omitempty"`
}

func toJSON(r app.AppealRow) appealJSON {
	return appealJSON{ID: r.ID, Status: string(r.Status), Channel: string(r.Channel), Category: r.Category,
		Urgency: string(r.Urgency), Content: r.Content, Reporter: r.ReporterName, Phone: r.ReporterPhone, Place: r.Place,
		Grid: r.GridRef, Assignee: r.Assignee, Received: app.LocalTime(r.ReceivedAt), Due: r.Due, Overdue: r.Mark == app.DueOver,
		DueSoon: r.Mark == app.DueSoon, Reply: r.Reply, Verdict: string(r.Satisfaction), External: r.ExternalNo}
}

func printAppeals(env *Env, rows []app.AppealRow, asJSON bool) error {
	if asJSON {
		return listJSON(env, rows, toJSON)
	}
	printRows(env.Stdout, []string{i18n.L("appeal.col.no"), i18n.L("appeal.col.status"), i18n.L("appeal.col.due"), i18n.L("appeal.col.category"),
		i18n.L("appeal.col.reporter"), i18n.L("appeal.col.content"), i18n.L("appeal.col.assignee")}, rows, func(r app.AppealRow) []string {
		content := []rune(r.Content)
		if len(content) > 20 {
			content = append(content[:20], '…')
		}
		return []string{strconv.FormatInt(r.ID, 10), i18n.AppealStatus(r.Status), i18n.Due(r.Due, r.Mark), r.Category, r.ReporterName,
			string(content), r.Assignee}
	})
	return nil
}

func printAppeal(env *Env, d *app.AppealDetail, asJSON bool) error {
	j := toJSON(d.AppealRow)
	for _, st := range d.Steps {
		j.Timeline = append(j.Timeline, step{Action: string(st.Action), To: string(st.To), Account: st.Account,
			At: app.LocalTime(st.At), Comment: st.Comment})
	}
	for _, act := range d.Allowed {
		j.Allowed = append(j.Allowed, string(act))
	}
	if asJSON {
		return json.NewEncoder(env.Stdout).Encode(j)
	}
	// The table says the codes in words.
	j.Status, j.Channel, j.Urgency = i18n.AppealStatus(d.Status), i18n.Channel(d.Channel), i18n.Urgency(d.Urgency)
	for i, st := range d.Steps {
		j.Timeline[i].Action, j.Timeline[i].To = i18n.Action(st.Action), i18n.AppealStatus(st.To)
	}
	rows := [][]string{
		{i18n.L("appeal.col.no"), strconv.FormatInt(j.ID, 10)}, {i18n.L("appeal.col.status"), j.Status},
		{i18n.L("appeal.col.channel"), j.Channel}, {i18n.L("appeal.col.category"), j.Category + " · " + j.Urgency},
		{i18n.L("appeal.col.content"), j.Content}, {i18n.L("appeal.col.reporter"), strings.TrimSpace(j.Reporter + " " + j.Phone)},
		{i18n.L("appeal.col.place"), j.Place}, {i18n.L("appeal.col.assignee"), j.Assignee}, {i18n.L("appeal.col.due"), j.Due},
	}
	if j.Reply != "" {
		rows = append(rows, []string{i18n.L("appeal.col.reply"), j.Reply + " (" + i18n.ReplyMethod(d.ReplyMethod) + ")"})
	}
	printTable(env.Stdout, rows)
	fmt.Fprintln(env.Stdout)
	steps := [][]string{}
	for _, st := range j.Timeline {
		steps = append(steps, []string{st.At, st.Account, st.Action, "→ " + st.To, st.Comment})
	}
	printTable(env.Stdout, steps)
	return nil
}

func printAppealStats(env *Env, s *app.AppealStats, asJSON bool) error {
	type groupJSON struct {
		Name        string  `json:"name"`
		Received    int     `json:"received"`
		Answered    int     `json:"answered"`
		Closed      int     `json:"closed"`
		AnswerRate  float64 `json:"answer_rate"`
		OnTimeRate  float64 `json:"on_time_rate"`
		CloseRate   float64 `json:"close_rate"`
		Satisfied   float64 `json:"satisfaction_rate"`
		AcceptHours float64 `json:"median_hours_to_accept"`
		AnswerHours float64 `json:"median_hours_to_answer"`
		CloseHours  float64 `json:"median_hours_to_close"`
	}
	conv := func(name string, g app.AppealGroup) groupJSON {
		return groupJSON{name, g.Received, g.Answered, g.Closed, round1(g.AnswerRate()), round1(g.OnTimeRate()), round1(g.CloseRate()),
			round1(g.SatisfactionRate()), round1(g.AcceptHours), round1(g.AnswerHours), round1(g.CloseHours)}
	}
	all := conv("", s.All)
	groups := []groupJSON{}
	for _, g := range s.Groups {
		groups = append(groups, conv(g.Label, g))
	}
	if asJSON {
		return json.NewEncoder(env.Stdout).Encode(map[string]any{"from": s.From, "to": s.To, "by": s.By, "all": all, "groups": groups})
	}
	printTable(env.Stdout, report.AppealRows(s))
	return nil
}

func round1(v float64) float64 {
	if v < 0 {
		return v
	}
	return float64(int(v*10+0.5)) / 10
}
