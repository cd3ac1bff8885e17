"""Regenerate docs/cli.md from the commands themselves: python docs/make_cli_md.py > docs/cli.md"""

import click

from kartoteka.cli import main

out = [
    "# Command line",
    "",
    "Every command takes `--db PATH` (default `$KARTOTEKA_DB`, else `./kartoteka.db`) where it",
    "reads or writes a store, and `-h`/`--help`. Errors are one-line messages naming what to do,",
    "never a traceback. The exit status is 0 on success; 2 on bad input (an option or argument,",
    "a name no entity answers to, an empty or blank name, a file that cannot be read or",
    "written, a store that is not one); 1 when the installation lacks something (the spaCy",
    "pipeline) or any file of an ingest failed. Names are matched literally: `%` and `_` are",
    "characters, not wildcards.",
    "",
]


def walk(cmd, prefix):
    if isinstance(cmd, click.Group) and cmd is not main:
        for name in sorted(cmd.commands):
            walk(cmd.commands[name], f"{prefix} {name}")
        return
    usage = " ".join(
        p.make_metavar(click.Context(cmd)) if hasattr(p, "make_metavar") else p.name
        for p in cmd.params
        if isinstance(p, click.Argument)
    )
    out.append(f"## `{prefix}`")
    out.append("")
    out.append(f"```\n{prefix} [OPTIONS] {usage}\n```")
    out.append("")
    out.append((cmd.help or "").strip().replace("\b\n", ""))
    out.append("")
    opts = [p for p in cmd.params if isinstance(p, click.Option)]
    if opts:
        out.append("| option | meaning |")
        out.append("|---|---|")
        for o in opts:
            names = ", ".join(f"`{n}`" for n in o.opts + o.secondary_opts)
            help_ = (o.help or "").replace("|", "\\|")
            if o.default not in (None, False) and not o.is_flag and o.show_default:
                help_ += f" Default: `{o.default}`."
            out.append(f"| {names} | {help_} |")
        out.append("")


for name in sorted(main.commands):
    walk(main.commands[name], f"kartoteka {name}")
print("\n".join(out))
