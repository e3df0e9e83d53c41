// Package ui is the Fyne window of Shequ: one file per screen, each a
// small struct built from the app use cases. The window never waits on
// the database: lists, a form's reads and its submit, and long work
// (imports, exports, reports, sync) run off the UI goroutine through run,
// load and showForm, and come back through fyne.Do.
// This package never imports fyne.io/fyne/v2/app, so it tests headless.
package ui

import (
	"context"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/charts"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// Options are what main knows about the run.
type Options struct {
	LogPath   string
	Version   string
	AutoLogin string // sign in as this account with Password, skipping the dialog
	Password  string
	Idle      time.Duration // the idle lock's limit; 0: 15 minutes
	// FirstScreen (may be nil) is called once, when the residents list
	// first shows rows: the start's end, for the bench.
	FirstScreen func()
	// sched runs the window's background work; nil: goroutines, tickers
	// and timers, applied through fyne.Do. Tests queue the work and run it
	// themselves.
	sched *scheduler
}

// UI is the main window and the signed-in session.
type UI struct {
	fa    fyne.App
	app   *app.App
	opts  Options
	win   fyne.Window
	actor *app.Actor
	ctx   context.Context

	residents     *residentsScreen
	houses        *housesScreen
	tags          *tagsScreen
	dashboard     *dashboard
	appeals       *appealsScreen
	worklog       *worklogScreen
	vaccination   *vaccinationScreen
	visitors      *visitorsScreen
	spaces        *spacesScreen
	activities    *activitiesScreen
	coupons       *couponsScreen
	tabs          *container.AppTabs
	audit         *auditScreen
	accounts      *accountsScreen
	areas         *areasScreen
	toast         *widget.Label
	toastSeq      int
	idle          time.Duration // the idle lock's limit
	lock          *widget.PopUp // the lock screen while locked
	idleStarted   bool
	syncTicking   bool // the background sync rounds run (once per window)
	about         fyne.CanvasObject
	shown         sync.Once                        // the first screen, told once
	lastMatch     *app.MatchResult                 // the match last shown, for tests
	lastMatchRows *widgets.DataTable[app.MatchRow] // its rows last shown, for tests
	lastFill      *app.FillResult                  // the form last filled, for tests
	lastReview    *model.SyncConflict              // the conflict last shown for review, for tests
	sync          *syncScreen
	dialogs       []*shownDialog // the dialogs shown, the top one last
	sched         *scheduler
}

// Start builds the main window; it asks for the first account or a
// sign-in before showing the registry. The caller shows and runs Window.
func Start(fa fyne.App, a *app.App, opts Options) *UI {
	u := &UI{fa: fa, app: a, opts: opts, ctx: context.Background(), idle: opts.Idle, sched: opts.sched}
	if u.sched == nil {
		u.sched = &realScheduler
	}
	if u.idle <= 0 {
		u.idle = defaultIdle
	}
	u.win = fa.NewWindow(i18n.L("app.title"))
	u.win.Resize(windowSize(fa.Preferences()))
	u.win.SetOnClosed(func() { keepWindowSize(fa.Preferences(), u.win.Canvas().Size()) })
	u.win.SetContent(widget.NewLabel(""))
	u.win.Canvas().SetOnTypedKey(u.typedKey)
	u.win.SetMaster()
	first, err := a.NeedsSetup(u.ctx)
	switch {
	case err != nil:
		u.showError(err)
	case first:
		u.showSetup()
	case opts.AutoLogin != "":
		actor, err := a.Login(u.ctx, opts.AutoLogin, opts.Password)
		if err != nil {
			u.showLogin()
			u.showError(err) // on top, so it is read before the form
		} else {
			u.signedIn(actor)
		}
	default:
		u.showLogin()
	}
	return u
}

// The window opens at the size it was left at; the first time at one that
// fits the commonest office screen, 1366×768 less its taskbar.
const (
	prefWidth, prefHeight = "window.width", "window.height"
	firstWidth            = 1280
	firstHeight           = 720
	minWidth, minHeight   = 1000, 620
)

func windowSize(p fyne.Preferences) fyne.Size {
	w := p.FloatWithFallback(prefWidth, firstWidth)
	h := p.FloatWithFallback(prefHeight, firstHeight)
	return fyne.NewSize(float32(max(w, minWidth)), float32(max(h, minHeight)))
}

func keepWindowSize(p fyne.Preferences, s fyne.Size) {
	if s.Width >= minWidth && s.Height >= minHeight {
		p.SetFloat(prefWidth, float64(s.Width))
		p.SetFloat(prefHeight, float64(s.Height))
	}
}

// Window is the main window.
func (u *UI) Window() fyne.Window { return u.win }

// signedIn shows the registry for an actor.
func (u *UI) signedIn(actor *app.Actor) {
	u.actor = actor
	if u.opts.Idle <= 0 { // the administrator's setting, unless SHEQU_IDLE_MINUTES says otherwise
		run(u, func() (int, error) { return u.app.IdleMinutes(u.ctx) }, func(m int, err error) {
			if err == nil {
				u.idle = time.Duration(m) * time.Minute
			}
		})
	}
	u.win.SetTitle(i18n.L("app.title") + " — " + actor.Account.Username)
	u.win.SetMainMenu(u.mainMenu())
	u.residents = newResidentsScreen(u)
	u.houses = newHousesScreen(u)
	u.tags = newTagsScreen(u)
	u.dashboard = newDashboard(u)
	u.appeals = newAppealsScreen(u)
	u.worklog = newWorklogScreen(u)
	u.vaccination = newVaccinationScreen(u)
	u.visitors = newVisitorsScreen(u)
	u.spaces = newSpacesScreen(u)
	u.activities = newActivitiesScreen(u)
	u.coupons = newCouponsScreen(u)
	u.sync = newSyncScreen(u)
	tabs := container.NewAppTabs(
		container.NewTabItem(i18n.L("nav.residents"), u.residents.content),
		container.NewTabItem(i18n.L("nav.houses"), u.houses.content),
		container.NewTabItem(i18n.L("nav.tags"), u.tags.content),
		container.NewTabItem(i18n.L("nav.dashboard"), u.dashboard.content),
		container.NewTabItem(i18n.L("nav.appeals"), u.appeals.content),
		container.NewTabItem(i18n.L("nav.worklog"), u.worklog.content),
		container.NewTabItem(i18n.L("nav.vaccination"), u.vaccination.content),
		container.NewTabItem(i18n.L("nav.visitors"), u.visitors.content),
		container.NewTabItem(i18n.L("nav.spaces"), u.spaces.content),
		container.NewTabItem(i18n.L("nav.activities"), u.activities.content),
		container.NewTabItem(i18n.L("nav.coupons"), u.coupons.content),
		container.NewTabItem(i18n.L("nav.sync"), u.sync.content),
	)
	u.tabs = tabs
	if actor.Account.Role == model.RoleAdmin { // the screens of account work
		u.areas = newAreasScreen(u)
		u.accounts = newAccountsScreen(u)
		u.audit = newAuditScreen(u)
		tabs.Append(container.NewTabItem(i18n.L("nav.areas"), u.areas.content))
		tabs.Append(container.NewTabItem(i18n.L("nav.accounts"), u.accounts.content))
		tabs.Append(container.NewTabItem(i18n.L("nav.audit"), u.audit.content))
	}
	tabs.OnSelected = func(t *container.TabItem) {
		switch {
		case t.Content == u.tags.content:
			u.tags.reload()
		case t.Content == u.dashboard.content:
			u.dashboard.reload()
		case t.Content == u.appeals.content:
			u.appeals.reload()
		case t.Content == u.worklog.content:
			u.worklog.reload()
		case t.Content == u.vaccination.content:
			u.vaccination.reload()
		case t.Content == u.visitors.content:
			u.visitors.loadCompounds()
			u.visitors.reload()
			u.win.Canvas().Focus(u.visitors.number)
		case t.Content == u.spaces.content:
			u.spaces.reload()
		case t.Content == u.activities.content:
			u.activities.reload()
		case t.Content == u.coupons.content:
			u.coupons.reload()
			u.win.Canvas().Focus(u.coupons.code)
		case t.Content == u.sync.content:
			u.sync.reload()
		case u.areas != nil && t.Content == u.areas.content:
			u.areas.reload()
		case u.audit != nil && t.Content == u.audit.content:
			u.audit.reload()
		case u.accounts != nil && t.Content == u.accounts.content:
			u.accounts.reload()
		}
	}
	u.about = u.aboutContent()
	tabs.Append(container.NewTabItem(i18n.L("nav.about"), u.about))
	tabs.SetTabLocation(container.TabLocationLeading)
	u.toast = widget.NewLabel("")
	u.toast.Importance = widget.SuccessImportance
	u.win.SetContent(container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), u.toast), nil, nil, tabs))
	u.residents.reload()
	u.sync.init()
	u.win.Canvas().Focus(u.residents.search)
	if actor.Account.Role == model.RoleLeader { // a 领导 comes for the numbers
		tabs.SelectIndex(3)
	}
	u.remindBackup()
	if u.lock == nil && !u.idleStarted {
		u.idleStarted = true
		u.startIdleLock()
	}
}

// The least widths a screen's top line keeps for its search box and for
// its three area pickers before its buttons go to the line below.
const (
	searchWidth = 320
	areasWidth  = 3 * 130
)

// chartOptions sizes a chart for the window, in its light or dark scheme
// (a chart saved to a file or a report stays light).
func (u *UI) chartOptions(width, height int) charts.Options {
	return charts.Options{Width: width, Height: height, Dark: u.fa.Settings().ThemeVariant() == fynetheme.VariantDark}
}

// showTab brings the screen whose content is given to the front.
func (u *UI) showTab(content fyne.CanvasObject) {
	for _, it := range u.tabs.Items {
		if it.Content == content {
			u.tabs.Select(it)
			return
		}
	}
}

// areasChanged refreshes what shows the area tree after it changed.
func (u *UI) areasChanged() {
	if u.areas != nil {
		u.areas.reload()
		u.accounts.reload() // its forms offer the areas
	}
	for _, p := range []*areaPicker{u.residents.areas, u.dashboard.areas, u.appeals.areas, u.vaccination.areas, u.worklog.areas} {
		p.reload(u)
	}
	u.houses.refreshRoot()
	u.residents.reload()
}

// firstScreen tells Options.FirstScreen, once.
func (u *UI) firstScreen() {
	u.shown.Do(func() {
		if u.opts.FirstScreen != nil {
			u.opts.FirstScreen()
		}
	})
}

// showResidents lists the residents of a filter (a chart's bar, a
// headline number) on the residents screen.
func (u *UI) showResidents(f app.ListFilter) { u.showGroup(f, "") }

// showGroup lists a group of residents (f.IDs) named label.
func (u *UI) showGroup(f app.ListFilter, label string) {
	u.tabs.SelectIndex(0)
	u.residents.show(f, label)
}

// canWrite reports whether the account may change the registry; a
// leader's account reads only (app refuses too: this only hides buttons).
func (u *UI) canWrite() bool { return u.actor != nil && u.actor.Account.Role != model.RoleLeader }

// showError tells the user what went wrong in their language and where
// the log is; the details go to the log.
func (u *UI) showError(err error) {
	slog.Error("shown to user", "err", err)
	msg := i18n.Message(err)
	if u.opts.LogPath != "" {
		msg += "\n\n" + i18n.L("err.seelog", map[string]any{"Path": u.opts.LogPath})
	}
	u.inform(i18n.L("err.title"), msg)
}

// scheduler is how a window runs work off the UI goroutine and later.
type scheduler struct {
	// schedule runs a job off the UI goroutine and applies the function
	// it returns on the UI goroutine.
	schedule func(job func() (apply func()))
	// every runs f on the UI goroutine every d, for the life of the program.
	every func(d time.Duration, f func())
	// later runs f on the UI goroutine once, after d.
	later func(d time.Duration, f func())
	// settle is how long typing waits for the next key before it counts
	// or searches (countDelay).
	settle time.Duration
}

// realScheduler is the program's: goroutines, tickers and timers.
var realScheduler = scheduler{
	schedule: func(job func() (apply func())) {
		go func() {
			defer func() {
				// A bug in background work is logged, not a crash of the window.
				if r := recover(); r != nil {
					slog.Error("background work failed", "panic", r, "stack", string(debug.Stack()))
				}
			}()
			apply := job()
			fyne.Do(apply)
		}()
	},
	every: func(d time.Duration, f func()) {
		go func() {
			for range time.Tick(d) {
				fyne.Do(f)
			}
		}()
	},
	later: func(d time.Duration, f func()) {
		time.AfterFunc(d, func() { fyne.Do(f) })
	},
	settle: countDelay,
}

// run does work off u's UI goroutine and applies done's result on it.
func run[T any](u *UI, work func() (T, error), done func(T, error)) {
	touch()
	u.sched.schedule(func() func() {
		v, err := work()
		return func() { done(v, err) }
	})
}

// load reads what a form or dialog offers off the UI goroutine, then
// builds it with what was read; a failure is shown instead.
func load[T any](u *UI, read func() (T, error), show func(T)) {
	run(u, read, func(v T, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		show(v)
	})
}
