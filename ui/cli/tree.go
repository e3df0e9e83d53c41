package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"shequ/app/outfile"
	"shequ/ui/i18n"
)

// command is one subcommand: a verb that runs, a group of verbs (shequ
// appeal add|list|…), or both (shequ sync, shequ sync conflicts), each
// verb with its own flags.
type command struct {
	name, summary string
	// args names the positional arguments in the usage line (a word key:
	// 文件.xlsx), "" when the verb takes none.
	args  string
	run   func(ctx context.Context, env *Env, args []string) error
	verbs []command
}

// takes names a verb's positional arguments (a word key) for its usage line.
func (c command) takes(args string) command {
	c.args = args
	return c
}

func verb(group, name string, run func(ctx context.Context, env *Env, args []string) error) command {
	return command{name: name, summary: "cli." + group + "." + name + ".summary", run: run}
}

func commands() []command {
	return []command{
		{name: "init", summary: "cli.init.summary", run: runInit},
		{name: "demo", summary: "cli.demo.summary", run: runDemo},
		{name: "area", summary: "cli.area.summary", verbs: areaVerbs()},
		{name: "residents", summary: "cli.residents.summary", run: runResidents},
		{name: "tag", summary: "cli.tag.summary", verbs: tagVerbs()},
		{name: "cohort", summary: "cli.cohort.summary", verbs: cohortVerbs()},
		{name: "chart", summary: "cli.chart.summary", verbs: chartVerbs()},
		{name: "report", summary: "cli.report.summary", run: runReport},
		{name: "appeal", summary: "cli.appeal.summary", verbs: appealVerbs()},
		{name: "worklog", summary: "cli.worklog.summary", verbs: worklogVerbs()},
		{name: "import", summary: "cli.import.summary", verbs: []command{verb("import", "residents", runImport).takes("cli.arg.xlsx")}},
		{name: "match", summary: "cli.match.summary", args: "cli.arg.list", run: runMatch},
		{name: "fill", summary: "cli.fill.summary", args: "cli.arg.form", run: runFill},
		{name: "vaccine", summary: "cli.vaccine.summary", verbs: vaccineVerbs()},
		{name: "visitor", summary: "cli.visitor.summary", verbs: visitorVerbs()},
		{name: "booking", summary: "cli.booking.summary", verbs: bookingVerbs()},
		{name: "activity", summary: "cli.activity.summary", verbs: activityVerbs()},
		{name: "coupon", summary: "cli.coupon.summary", verbs: couponVerbs()},
		{name: "export", summary: "cli.export.summary", verbs: []command{verb("export", "residents", runExport)}},
		{name: "template", summary: "cli.template.summary", verbs: []command{verb("template", "residents", runTemplate)}},
		{name: "account", summary: "cli.account.summary", verbs: accountVerbs()},
		{name: "audit", summary: "cli.audit.summary", verbs: auditVerbs()},
		{name: "check", summary: "cli.check.summary", run: runCheck},
		{name: "settings", summary: "cli.settings.summary", run: runSettings},
		{name: "backup", summary: "cli.backup.summary", run: runBackup},
		{name: "restore", summary: "cli.restore.summary", run: runRestore},
		{name: "serve", summary: "cli.serve.summary", run: runServe},
		{name: "sync", summary: "cli.sync.summary", run: runSync, verbs: syncVerbs()},
		{name: "devices", summary: "cli.devices.summary", run: runDevices},
		{name: "version", summary: "cli.version.summary", run: runVersion},
		{name: "completion", summary: "cli.completion.summary", verbs: completionVerbs()},
	}
}

// IsCommand reports whether name is a subcommand (else main opens the window).
func IsCommand(name string) bool {
	switch name {
	case "help", "-h", "--help", "--version", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return true
	}
	for _, c := range commands() {
		if c.name == name {
			return true
		}
	}
	return false
}

// CheckCommand says whether args name a subcommand, the window (no
// subcommand, only flags), or a mistyped command: "shequ bogus" is an
// error, not a window.
func CheckCommand(args []string) (isCommand bool, err error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && !IsCommand(args[0]) {
		return false, nil
	}
	if IsCommand(args[0]) {
		return true, nil
	}
	return false, fmt.Errorf("%s: %s", i18n.L("cli.unknown"), args[0])
}

// errUsage marks a mistake in how a command was called (a flag it does
// not have, a missing verb, an argument too many): exit status 2, as
// Go's own tools do, where a failure of the work itself is 1.
var errUsage = errors.New("usage")

type usageErr struct{ msg string }

func (e usageErr) Error() string        { return e.msg }
func (e usageErr) Is(target error) bool { return target == errUsage }

func usageError(msg string) error { return usageErr{msg} }

// Run runs the subcommand in args and returns the exit status: 0 done,
// 1 failed, 2 called wrongly.
func Run(ctx context.Context, env *Env, args []string) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") && !IsCommand(args[0]) {
		fmt.Fprintf(env.Stderr, "%s: %s\n", i18n.L("cli.unknown"), args[0])
		usage(env.Stderr)
		return 2
	}
	root := tree(env)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil, errors.Is(err, pflag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(env.Stderr, i18n.L("cli.error")+": "+err.Error())
		return 2
	default:
		fmt.Fprintln(env.Stderr, i18n.L("cli.error")+": "+i18n.Message(err))
		return 1
	}
}

// tree is the commands as cobra's, for the help, the flags' checks and the
// shell completion. Each verb declares and parses its own flags (flags,
// parse); the tree learns them by asking the verb with env.described set.
func tree(env *Env) *cobra.Command {
	cobra.EnableCommandSorting = false // the verbs in the order of the work
	root := &cobra.Command{
		Use:           "shequ",
		Short:         i18n.L("cli.gui.summary"),
		Version:       env.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			usage(env.Stdout)
			return nil
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetVersionTemplate("shequ {{.Version}}\n")
	root.Flags().Bool("version", false, i18n.L("cli.flag.version"))
	root.Flags().BoolP("help", "h", false, i18n.L("cli.flag.helpme"))
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if c.HasAvailableSubCommands() && c != root { // shequ appeal --db F: the verb is missing
			help(env.Stderr, c)
			return usageError(i18n.L("cli.noverb", map[string]any{"Cmd": c.CommandPath()}))
		}
		return FlagError(err)
	})
	root.SetHelpFunc(func(c *cobra.Command, _ []string) {
		if c == root {
			usage(env.Stdout)
			return
		}
		help(env.Stdout, c)
	})
	root.SetHelpCommand(&cobra.Command{
		Use:   "help",
		Short: i18n.L("cli.help.summary"),
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 { // shequ help frob
				usage(env.Stderr)
				return usageError(fmt.Sprintf("%s: %s", i18n.L("cli.unknown"), strings.Join(args, " ")))
			}
			if cmd == root {
				usage(env.Stdout)
				return nil
			}
			help(env.Stdout, cmd)
			return nil
		},
	})
	for _, c := range commands() {
		root.AddCommand(cobraCommand(env, "", c))
	}
	return root
}

func cobraCommand(env *Env, group string, c command) *cobra.Command {
	cc := &cobra.Command{Use: c.name, Short: i18n.L(c.summary), SilenceErrors: true, SilenceUsage: true}
	cc.Flags().SortFlags = false
	if c.args != "" {
		cc.Annotations = map[string]string{"args": i18n.L(c.args)}
	}
	for _, v := range c.verbs {
		cc.AddCommand(cobraCommand(env, c.name, v))
	}
	if c.run == nil {
		cc.Flags().BoolP("help", "h", false, i18n.L("cli.flag.helpme"))
		// A group alone, or with a verb it lacks, is a usage mistake.
		cc.Args = cobra.ArbitraryArgs
		cc.RunE = func(cmd *cobra.Command, args []string) error {
			help(env.Stderr, cmd)
			if len(args) == 0 {
				return usageError(i18n.L("cli.noverb", map[string]any{"Cmd": cmd.CommandPath()}))
			}
			return usageError(fmt.Sprintf("%s: %s", i18n.L("cli.unknown"), strings.Join(append(strings.Fields(cmd.CommandPath())[1:], args[0]), " ")))
		}
		return cc
	}
	// The verb parses its own flags (the same code with or without the
	// tree); cobra gets a copy of them for the help and the completion.
	cc.DisableFlagParsing = true
	var got []*pflag.FlagSet
	probe := *env
	probe.described = &got
	probe.Stdout, probe.Stderr = io.Discard, io.Discard
	c.run(context.Background(), &probe, nil)
	for _, fs := range got {
		cc.Flags().AddFlagSet(fs)
	}
	cc.Flags().BoolP("help", "h", false, i18n.L("cli.flag.helpme"))
	cc.RunE = func(cmd *cobra.Command, args []string) error {
		for _, a := range args {
			if a == "--" {
				break
			}
			if a == "-h" || a == "-help" || a == "--help" {
				help(env.Stdout, cmd)
				return nil
			}
		}
		err := c.run(cmd.Context(), env, args)
		var n argCount
		if errors.As(err, &n) {
			return n.say(cmd)
		}
		return err
	}
	return cc
}

// argCount is a verb given too few or too many positional arguments; the
// tree says it with the verb's usage line.
type argCount struct {
	want int
	got  []string
}

func (e argCount) Error() string        { return fmt.Sprintf("%d != %d", len(e.got), e.want) }
func (e argCount) Is(target error) bool { return target == errUsage }

func (e argCount) say(c *cobra.Command) error {
	data := map[string]any{"Cmd": c.CommandPath(), "Usage": usageLine(c)}
	if len(e.got) > e.want {
		data["Extra"] = strings.Join(e.got[e.want:], " ")
		return usageError(i18n.L("cli.args.extra", data))
	}
	data["Args"] = c.Annotations["args"]
	return usageError(i18n.L("cli.args.missing", data))
}

// usageLine is how a verb is called: shequ import residents 文件.xlsx [参数…].
func usageLine(c *cobra.Command) string {
	line := c.CommandPath()
	if a := c.Annotations["args"]; a != "" {
		line += " " + a
	}
	return line + " [" + i18n.L("cli.help.flag") + "]"
}

// usage is the general help: every command and its summary.
func usage(w io.Writer) {
	fmt.Fprintln(w, i18n.L("cli.usage"))
	for _, c := range commands() {
		fmt.Fprintf(w, "  shequ %-10s %s\n", c.name, i18n.L(c.summary))
	}
	fmt.Fprintln(w, "  shequ [--db FILE]   "+i18n.L("cli.gui.summary"))
	fmt.Fprintln(w, "  shequ [--version]   "+i18n.L("cli.flag.version"))
	fmt.Fprintln(w, i18n.L("cli.help.more"))
}

// help is one command's help: what it does, its verbs, its flags.
func help(w io.Writer, c *cobra.Command) {
	fmt.Fprintf(w, "%s — %s\n\n%s\n", c.CommandPath(), c.Short, i18n.L("cli.usage"))
	runs := c.DisableFlagParsing // a verb: it parses its own flags
	if runs {
		fmt.Fprintf(w, "  %s\n", usageLine(c))
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(w, "  %s %s\n\n%s\n", c.CommandPath(), i18n.L("cli.help.verb"), i18n.L("cli.help.verbs"))
		for _, v := range c.Commands() {
			if v.IsAvailableCommand() {
				fmt.Fprintf(w, "  %-14s %s\n", v.Name(), v.Short)
			}
		}
		fmt.Fprintln(w, "\n"+i18n.L("cli.help.more.verb", map[string]any{"Cmd": c.CommandPath()}))
		if !runs { // a group that does nothing alone has no flags to list
			return
		}
	}
	fmt.Fprintf(w, "\n%s\n", i18n.L("cli.help.flags"))
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name := "--" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", " + name
		}
		if t := f.Value.Type(); t != "bool" {
			name += " " + i18n.L("cli.help.type."+t)
		}
		line := "  " + name + strings.Repeat(" ", max(1, 28-width(name))) + f.Usage
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
			line += " (" + i18n.L("cli.help.default", map[string]any{"Value": f.DefValue}) + ")"
		}
		fmt.Fprintln(w, line)
	})
}

// completionVerbs write the shell completion scripts.
func completionVerbs() []command {
	shell := func(name string, gen func(root *cobra.Command, w io.Writer) error) command {
		return command{name: name, summary: "cli.completion." + name + ".summary", run: func(ctx context.Context, env *Env, args []string) error {
			fs := bareFlags("completion " + name)
			if err := parse(env, fs, args); err != nil {
				return err
			}
			return gen(tree(env), env.Stdout)
		}}
	}
	return []command{
		shell("bash", func(r *cobra.Command, w io.Writer) error { return r.GenBashCompletionV2(w, true) }),
		shell("zsh", func(r *cobra.Command, w io.Writer) error { return r.GenZshCompletion(w) }),
		shell("fish", func(r *cobra.Command, w io.Writer) error { return r.GenFishCompletion(w, true) }),
		shell("powershell", func(r *cobra.Command, w io.Writer) error { return r.GenPowerShellCompletionWithDesc(w) }),
	}
}

// flags makes a verb's flag set with the shared --db flag.
func flags(env *Env, name string) (*pflag.FlagSet, *string) {
	fs := bareFlags(name)
	return fs, fs.String("db", env.DB, i18n.L("cli.flag.db"))
}

// bareFlags makes the flag set of a verb that opens no database.
func bareFlags(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("shequ "+name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard) // a wrong flag is said once, by Run
	fs.SortFlags = false
	return fs
}

// parse parses a verb's flags; it takes no positional arguments.
func parse(env *Env, fs *pflag.FlagSet, args []string) error {
	_, err := parseN(env, fs, args, 0)
	return err
}

// parseN parses a verb's flags and exactly n positional arguments.
func parseN(env *Env, fs *pflag.FlagSet, args []string, n int) ([]string, error) {
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != n {
		return nil, argCount{want: n, got: pos}
	}
	if f := fs.Lookup("out"); f != nil && f.Annotations[requiredOut] != nil && f.Value.String() == "" {
		return nil, usageError(i18n.L("cli.ledger.noout"))
	}
	return pos, nil
}

// errDescribed stops a verb asked only for its flags.
var errDescribed = errors.New("described")

// parseArgs parses flags that may come before or after the positional
// arguments (shequ import residents FILE.xlsx --db F), returning those.
// The single-dash spelling of old (-db F) is still read as --db F.
func parseArgs(env *Env, fs *pflag.FlagSet, args []string) ([]string, error) {
	if env.described != nil {
		*env.described = append(*env.described, fs)
		return nil, errDescribed
	}
	args = slices.Clone(args)
	for i, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(name) > 1 && fs.Lookup(name) != nil {
			args[i] = "-" + a
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, FlagError(err)
	}
	pos := fs.Args()
	return pos, notInput(fs, pos)
}

// requiredOut marks an --out a verb cannot do without (parseN asks for it).
const requiredOut = "shequ-required"

// ledgerOut adds the --out of a verb that writes a workbook and is nothing
// without it.
func ledgerOut(fs *pflag.FlagSet) *string {
	out := fs.String("out", "", i18n.L("cli.ledger.flag.out"))
	requireOut(fs)
	return out
}

// requireOut makes fs's --out one its verb cannot do without.
func requireOut(fs *pflag.FlagSet) { _ = fs.SetAnnotation("out", requiredOut, []string{"true"}) }

// notInput refuses, before anything is done, an output (--out, --report)
// that is a file the same command reads: the database, --in, or a file
// named as an argument (a ledger, a list, a form). Every command's flags
// pass through here, so none can forget it.
func notInput(fs *pflag.FlagSet, pos []string) error {
	ins := slices.Clone(pos)
	for _, name := range []string{"db", "in"} {
		if f := fs.Lookup(name); f != nil {
			ins = append(ins, f.Value.String())
		}
	}
	for _, name := range []string{"out", "report"} {
		if f := fs.Lookup(name); f != nil && f.Value.String() != "" {
			if err := outfile.NotInput(f.Value.String(), ins...); err != nil {
				return err
			}
		}
	}
	return nil
}

// badArgument is pflag's wrong value: "x" for "--limit" flag: why.
var badArgument = regexp.MustCompile(`^"(.*)" for "(.*)" flag: `)

// FlagError says a flag mistake (pflag's, or the standard library's for
// the window's flags) in the user's language, with the way to the help:
// a usage error.
func FlagError(err error) error {
	if errors.Is(err, pflag.ErrHelp) || errors.Is(err, errUsage) {
		return err
	}
	msg := err.Error()
	for _, p := range []struct{ prefix, key string }{
		{"unknown flag: ", "cli.flag.unknown"},
		{"flag provided but not defined: ", "cli.flag.unknown"},
		{"flag needs an argument: ", "cli.flag.noarg"},
		{"invalid argument ", "cli.flag.badvalue"},
		{"invalid value ", "cli.flag.badvalue"},
	} {
		if rest, ok := strings.CutPrefix(msg, p.prefix); ok {
			if m := badArgument.FindStringSubmatch(rest); m != nil { // "x" for "--limit" flag: strconv…
				rest = m[2] + " " + m[1]
			}
			return usageError(i18n.L(p.key, map[string]any{"Flag": rest}) + i18n.L("cli.flag.help"))
		}
	}
	// unknown shorthand flag: 'c' in -colour
	if _, rest, ok := strings.Cut(msg, "unknown shorthand flag: "); ok {
		if _, word, ok := strings.Cut(rest, " in "); ok {
			rest = word
		}
		return usageError(i18n.L("cli.flag.unknown", map[string]any{"Flag": rest}) + i18n.L("cli.flag.help"))
	}
	return usageError(msg + i18n.L("cli.flag.help"))
}

// revealFlags are --reveal and --reason, the same on every command that
// may show full numbers; --why, the old spelling of --reason, still works.
func revealFlags(fs *pflag.FlagSet, reveal string) (*bool, *string) {
	r := fs.Bool("reveal", false, i18n.L(reveal))
	why := fs.String("reason", "", i18n.L("cli.flag.reason"))
	fs.StringVar(why, "why", "", i18n.L("cli.flag.reason"))
	fs.MarkHidden("why")
	return r, why
}

// userFlags makes a verb's flag set with --db and --user.
func userFlags(env *Env, name string) (fs *pflag.FlagSet, db, user *string) {
	fs, db = flags(env, name)
	return fs, db, fs.String("user", "", i18n.L("cli.flag.user"))
}
