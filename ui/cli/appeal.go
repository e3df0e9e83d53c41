package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

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

var appealVerbs = []string{"add", "list", "show", "assign", "advance", "return", "extend", "reopen", "stats", "categories", "holiday", "import"}

// runAppeal is `shequ appeal add|list|show|assign|advance|return|extend|
// reopen|stats|categories|import|holiday`: every step of 需求直达 from a script.
func runAppeal(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || !slices.Contains(appealVerbs, args[0]) {
		return errors.New(i18n.L("cli.appeal.usage"))
	}
	verb := args[0]
	fs, db := flags(env, "appeal")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	id := fs.Int64("id", 0, i18n.L("cli.appeal.flag.id"))
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
	to := fs.String("to", "", i18n.L("cli.appeal.flag.to"))
	comment := fs.String("comment", "", i18n.L("cli.appeal.flag.comment"))
	reply := fs.String("reply", "", i18n.L("cli.appeal.flag.reply"))
	method := fs.String("method", "", i18n.L("cli.appeal.flag.method"))
	satisfaction := fs.String("satisfaction", "", i18n.L("cli.appeal.flag.satisfaction"))
	days := fs.Int("days", 0, i18n.L("cli.appeal.flag.days"))
	from := fs.String("from", "", i18n.L("cli.appeal.flag.from"))
	until := fs.String("to-date", "", i18n.L("cli.appeal.flag.todate"))
	by := fs.String("by", "category", i18n.L("cli.appeal.flag.by"))
	todo := fs.Bool("todo", false, i18n.L("cli.appeal.flag.todo"))
	overdue := fs.Bool("overdue", false, i18n.L("cli.appeal.flag.overdue"))
	status := fs.String("status", "", i18n.L("cli.appeal.flag.status"))
	workday := fs.Bool("workday", false, i18n.L("cli.appeal.flag.workday"))
	clear := fs.Bool("clear", false, i18n.L("cli.appeal.flag.clear"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	out := fs.String("out", "", i18n.L("cli.appeal.flag.out"))
	received := fs.String("received", "", i18n.L("cli.appeal.flag.received"))
	dry := fs.Bool("dry-run", false, i18n.L("cli.flag.dryrun"))
	year := fs.Int("year", 0, i18n.L("cli.appeal.flag.year"))
	var photos multi
	fs.Var(&photos, "photo", i18n.L("cli.appeal.flag.photo"))
	pos, err := parseArgs(env, fs, args[1:])
	if err != nil {
		return err
	}
	listDays := verb == "holiday" && len(pos) == 1 && pos[0] == "list" // holiday list: the marked days
	if verb == "import" && len(pos) != 1 || verb != "import" && len(pos) != 0 && !listDays {
		return errors.New(i18n.L("cli.appeal.usage"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	needID := func() error {
		if *id <= 0 {
			return errors.New(i18n.L("cli.appeal.noid"))
		}
		return nil
	}
	step := func(in app.StepInput) error {
		if err := needID(); err != nil {
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
	switch verb {
	case "add":
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
		for _, p := range photos {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if in.Photos == nil {
				in.Photos = map[string][]byte{}
			}
			in.Photos[filepath.Base(p)] = data
		}
		n, err := a.TakeAppeal(ctx, actor, in)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, n)
		return nil
	case "list":
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
	case "show":
		if err := needID(); err != nil {
			return err
		}
		d, err := a.AppealDetail(ctx, actor, *id)
		if err != nil {
			return err
		}
		return printAppeal(env, d, *asJSON)
	case "assign":
		return step(app.StepInput{Action: model.ActReassign, Assignee: *to, Comment: *comment})
	case "advance":
		if err := needID(); err != nil {
			return err
		}
		target, err := word(*to, model.AppealStatuses, i18n.AppealStatus)
		if err != nil || target == "" {
			return errors.New(i18n.L("cli.appeal.to"))
		}
		d, err := a.AppealDetail(ctx, actor, *id)
		if err != nil {
			return err
		}
		// A step the appeal's status does not allow is refused with the reason.
		in := app.StepInput{Action: app.ActionTo(d.Status, target), Comment: *comment, Reply: *reply}
		if in.Method, err = word(*method, model.ReplyMethods, i18n.ReplyMethod); err != nil {
			return err
		}
		if in.Satisfaction, err = word(*satisfaction, model.Satisfactions, i18n.Satisfaction); err != nil {
			return err
		}
		return step(in)
	case "return":
		return step(app.StepInput{Action: model.ActReturn, Comment: *comment})
	case "extend":
		return step(app.StepInput{Action: model.ActExtend, Comment: *comment, Days: *days})
	case "reopen":
		return step(app.StepInput{Action: model.ActReopen, Comment: *comment})
	case "stats":
		s, err := a.AppealStats(ctx, actor, *from, *until, *by)
		if err != nil {
			return err
		}
		if *out != "" {
			if err := report.WriteAppealStats(*out, s); err != nil {
				return err
			}
			if err := a.NoteReport(ctx, actor, *out, app.ListFilter{}); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, i18n.L("cli.chart.done", map[string]any{"Path": *out}))
			return nil
		}
		return printAppealStats(env, s, *asJSON)
	case "categories":
		cats, err := a.AppealCategories(ctx)
		if err != nil {
			return err
		}
		rows := [][]string{{i18n.L("appeal.col.category"), i18n.L("cli.appeal.days.normal"), i18n.L("cli.appeal.days.urgent")}}
		for _, c := range cats {
			rows = append(rows, []string{c.Name, fmt.Sprintf("%d / %d / %d", c.AcceptDays, c.AnswerDays, c.CloseDays),
				fmt.Sprintf("%d / %d / %d", c.UrgentAccept, c.UrgentAnswer, c.UrgentClose)})
		}
		printTable(env.Stdout, rows)
		return nil
	case "import":
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
	case "holiday":
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

// appealJSON is an appeal as --json prints it.
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
	return appealJSON{ID: r.ID, Status: i18n.AppealStatus(r.Status), Channel: i18n.Channel(r.Channel), Category: r.Category,
		Urgency: i18n.Urgency(r.Urgency), Content: r.Content, Reporter: r.ReporterName, Phone: r.ReporterPhone, Place: r.Place,
		Grid: r.GridRef, Assignee: r.Assignee, Received: app.LocalTime(r.ReceivedAt), Due: r.Due, Overdue: r.Mark == app.DueOver,
		DueSoon: r.Mark == app.DueSoon, Reply: r.Reply, Verdict: i18n.Satisfaction(r.Satisfaction), External: r.ExternalNo}
}

func printAppeals(env *Env, rows []app.AppealRow, asJSON bool) error {
	if asJSON {
		out := make([]appealJSON, len(rows))
		for i, r := range rows {
			out[i] = toJSON(r)
		}
		return json.NewEncoder(env.Stdout).Encode(out)
	}
	table := [][]string{{i18n.L("appeal.col.no"), i18n.L("appeal.col.status"), i18n.L("appeal.col.due"), i18n.L("appeal.col.category"),
		i18n.L("appeal.col.reporter"), i18n.L("appeal.col.content"), i18n.L("appeal.col.assignee")}}
	for _, r := range rows {
		due := i18n.Due(r.Due, r.Mark)
		content := []rune(r.Content)
		if len(content) > 20 {
			content = append(content[:20], '…')
		}
		table = append(table, []string{strconv.FormatInt(r.ID, 10), i18n.AppealStatus(r.Status), due, r.Category, r.ReporterName,
			string(content), r.Assignee})
	}
	printTable(env.Stdout, table)
	return nil
}

func printAppeal(env *Env, d *app.AppealDetail, asJSON bool) error {
	j := toJSON(d.AppealRow)
	for _, st := range d.Steps {
		j.Timeline = append(j.Timeline, step{Action: i18n.Action(st.Action), To: i18n.AppealStatus(st.To), Account: st.Account,
			At: app.LocalTime(st.At), Comment: st.Comment})
	}
	for _, act := range d.Allowed {
		j.Allowed = append(j.Allowed, i18n.Action(act))
	}
	if asJSON {
		return json.NewEncoder(env.Stdout).Encode(j)
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
	all := conv(i18n.L("appeal.stats.all"), s.All)
	var groups []groupJSON
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
