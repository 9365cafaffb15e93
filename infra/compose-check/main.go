// compose-check validates a Compose file against the Compose Specification the way `docker
// compose config` does (compose-go is the spec's reference loader): schema, interpolation from an
// env file, and model checks. It prints the services it found, or the error and exits 1.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check compose.yaml [env-file]")
		os.Exit(2)
	}
	file, _ := filepath.Abs(os.Args[1])
	opts := []cli.ProjectOptionsFn{cli.WithWorkingDirectory(filepath.Dir(file)), cli.WithName("correctly")}
	if len(os.Args) > 2 {
		opts = append(opts, cli.WithEnvFiles(os.Args[2]), cli.WithDotEnv)
	}
	po, err := cli.NewProjectOptions([]string{file}, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	project, err := po.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	names := project.ServiceNames()
	sort.Strings(names)
	for _, n := range names {
		fmt.Println(n)
	}
}
