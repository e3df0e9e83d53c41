//go:build headless

package main

import (
	"context"
	"fmt"
	"os"

	"shequ/ui/cli"
	"shequ/ui/i18n"
)

// runGUI in the headless build says there is no window and how to go on.
func runGUI(env *cli.Env, _ string) int {
	fmt.Fprintln(os.Stderr, i18n.L("cli.headless"))
	cli.Run(context.Background(), env, []string{"help"})
	return 2
}
