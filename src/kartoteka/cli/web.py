"""`kartoteka serve` (the reader's desk in a browser) and `kartoteka path A B`.

`commands` lists what the main CLI registers.
"""

from __future__ import annotations

import json

import click

from kartoteka.cli.common import Refused, db_option, library_errors, open_store


@click.command("serve")
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but a loopback address lets the network read the store.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--no-auth",
    is_flag=True,
    help="Let anyone who can reach the app curate without the token (only on a loopback address).",
)
@click.option(
    "--token",
    envvar="KARTOTEKA_TOKEN",
    metavar="TOKEN",
    help="The curation token to require (default: a fresh random one; or $KARTOTEKA_TOKEN).",
)
@click.option(
    "--author", metavar="NAME", help="Who the judgement log says decided (default: your user name)."
)
def serve_command(db_path, host, port, no_auth, token, author):
    """Serve the store as a web app: documents, cards, network, timeline, search and the
    review queue, each page with a JSON twin (add .json)."""
    from kartoteka.store import default_db_path
    from kartoteka.web import WebConfig, WebError, create_app, serve_address
    from kartoteka.web.security import LOOPBACK_HOSTS, is_loopback, new_token
    from kartoteka.web.server import run

    path = db_path or default_db_path()
    loopback = is_loopback(host.strip("[]"))
    if no_auth and not loopback:
        raise Refused(
            f"--no-auth is only allowed on a loopback address, not {host}; drop --no-auth "
            "and give people the token instead"
        )
    token = None if no_auth else (token or new_token())
    # on loopback answer only to loopback names (defeats DNS rebinding); elsewhere the
    # machine's names are unknown to us, and the token guards the writes
    hosts = tuple(LOOPBACK_HOSTS) + ((host,) if loopback else ("*",))
    config = WebConfig(
        db_path=path, token=token, auth=not no_auth, allowed_hosts=hosts, author=author
    )
    try:
        app = create_app(config)
    except WebError as e:
        raise Refused(str(e)) from e
    address = serve_address(host, port)
    click.echo(f"kartoteka: serving {path} at {address}")
    if token:
        click.echo(
            f"To curate (review, merge, split, rename), open once:\n  {address}login?token={token}"
        )
    else:
        click.echo("Curation is open to anyone on this machine (--no-auth).")
    if not loopback:
        click.echo(
            f"Warning: {host} is not a loopback address; the network can read this store.", err=True
        )
    click.echo("Press Ctrl-C to stop.")
    run(app, host, port)


@click.command("path")
@click.argument("source")
@click.argument("target")
@db_option
@click.option(
    "--sentences",
    is_flag=True,
    help="Count names in one sentence as a link too (otherwise only when relations "
    "and shared events do not connect the two).",
)
@click.option(
    "--max",
    "max_paths",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="At most this many shortest paths.",
)
@click.option("--json", "as_json", is_flag=True, help="The paths as JSON.")
@library_errors
def path_command(source, target, db_path, sentences, max_paths, as_json):
    """How is SOURCE connected to TARGET? The shortest paths between two entities (names,
    aliases or ids) through relations and shared events, with the passage behind each step."""
    from kartoteka.query.errors import asked_name, shown
    from kartoteka.query.network import path_between

    for side, text in (("source", source), ("target", target)):
        asked_name(text, side)
    with open_store(db_path) as store:
        data = path_between(store, source, target, sentences=sentences, max_paths=max_paths)
    for side, text in (("source", source), ("target", target)):
        if data[side] is None:
            raise Refused(f"no entity answers to {shown(text)}; see `kartoteka entities`")
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    click.echo(format_paths(data))


def format_paths(data: dict) -> str:
    r = data["result"]
    a, b = r["source"]["name"], r["target"]["name"]
    if not r["paths"]:
        return f"No path from {a} to {b} through {', '.join(r['kinds'])}."
    n = len(r["paths"])
    out = [
        f"{a} → {b}: {n} shortest path{'s' if n > 1 else ''} of {r['length']} "
        f"step{'s' if r['length'] > 1 else ''}"
    ]
    if r["widened"]:
        out.append("(no relation or shared event links them; names in one sentence count)")
    for i, path in enumerate(r["paths"], 1):
        out += ["", f"Path {i}:"]
        for hop in path["hops"]:
            kinds = "; ".join(f"{e['kind']}: {e['type']} ×{e['count']}" for e in hop["edges"])
            out.append(f"  {hop['from']['name']} — {hop['to']['name']}  [{kinds}]")
            for e in hop["edges"]:
                for p in e["evidence"][:2]:
                    text = " ".join((p.get("text") or "").split())
                    if len(text) > 220:
                        text = text[:217] + "..."
                    out.append(f"      “{text}” ({p.get('name')}, {p['start']}–{p['end']})")
    others = data["source_others"] + data["target_others"]
    if others:
        out += [
            "",
            "Also answering to these names: "
            + ", ".join(f"{e['name']} (id {e['id']})" for e in others),
        ]
    return "\n".join(out)


commands = [serve_command, path_command]
