"""The argparse definition of the command line: the global options and every subcommand
with its arguments and help text."""

from __future__ import annotations

import argparse
import re
from typing import NoReturn

from reader.archive import EXPORT_FORMATS
from reader.model import Color


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors that never quote a huge argument back in full."""

    def error(self, message: str) -> NoReturn:
        super().error(re.sub(r"\S{81,}", lambda long: long[0][:79] + "…", message))


def _common(parser: argparse.ArgumentParser, *, json_flag: bool = False) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="archive folder (default: $READER_DATA_DIR, else the user data dir)",
    )
    if json_flag:
        parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="story-reader",
        description="Collect, read, highlight and search news stories offline. "
        "With no command, opens the window.",
    )
    parser.add_argument("--data-dir", metavar="DIR", help="archive folder")
    parser.add_argument(
        "--screenshot", metavar="FILE", help="render the window offscreen to a PNG and exit"
    )
    parser.add_argument(
        "--screenshots",
        metavar="DIR",
        help="write the README's screenshots of a fresh sample archive into DIR and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "import",
        help="import files, folders and http(s) URLs (.html .htm .md .txt, .eml .mbox, "
        "Maildir folders, feeds); our JSON exports and W3C annotation files are merged",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    _common(p, json_flag=True)

    p = sub.add_parser(
        "subscribe",
        help="subscribe to an RSS, Atom or JSON feed, or a mailbox folder (imap://user@host/Folder)",
    )
    p.add_argument("url", metavar="URL")
    p.add_argument(
        "--full-articles",
        action="store_true",
        help="for entries with only a short summary, fetch the article they link to",
    )
    mail = p.add_argument_group(
        "mailbox folders",
        "imap://user@host[:port]/Folder uses TLS (IMAPS, port 993) unless told otherwise; the "
        "password comes from the system keyring, else $READER_IMAP_PASSWORD, else a prompt",
    )
    tls = mail.add_mutually_exclusive_group()
    tls.add_argument(
        "--starttls", action="store_true", help="plain connection upgraded by STARTTLS (port 143)"
    )
    tls.add_argument(
        "--no-tls",
        action="store_true",
        help="no encryption (port 143): only for a server on this machine (127.0.0.1)",
    )
    mail.add_argument(
        "--insecure",
        action="store_true",
        help="with --no-tls, allow a server that is not on this machine (the password crosses "
        "the network in clear)",
    )
    mail.add_argument(
        "--ca-file",
        metavar="FILE",
        help="trust this CA certificate (PEM), e.g. a self-signed server's "
        "(default: $READER_IMAP_CA_FILE)",
    )
    _common(p, json_flag=True)

    p = sub.add_parser(
        "unsubscribe", help="stop following a feed or mailbox folder (its stories stay)"
    )
    p.add_argument("id", type=int, help="source id (see `sources`)")
    _common(p, json_flag=True)

    p = sub.add_parser("sources", help="list subscriptions with their fetch status")
    _common(p, json_flag=True)

    p = sub.add_parser("refresh", help="fetch new stories from subscriptions")
    p.add_argument("ids", nargs="*", type=int, metavar="ID", help="source ids (default: all)")
    p.add_argument(
        "--force",
        action="store_true",
        help="also sources backing off after errors, and without conditional GET",
    )
    _common(p, json_flag=True)

    p = sub.add_parser("opml", help="import or export subscriptions as OPML")
    opml = p.add_subparsers(dest="opml_command", metavar="ACTION", required=True)
    q = opml.add_parser("import", help="subscribe to the feeds an OPML file lists")
    q.add_argument("file", metavar="FILE")
    _common(q, json_flag=True)
    q = opml.add_parser("export", help="write subscriptions as OPML 2.0")
    q.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _common(q)

    p = sub.add_parser("list", help="list stories, newest first")
    p.add_argument("--limit", type=int, default=None, metavar="N")
    p.add_argument(
        "--view",
        choices=("all", "unread", "starred", "later", "highlighted", "archived"),
        default="all",
    )
    _common(p, json_flag=True)

    p = sub.add_parser("show", help="show one story with its highlights and notes")
    p.add_argument("id", type=int)
    _common(p, json_flag=True)

    p = sub.add_parser("search", help="search stories, highlights and notes")
    p.add_argument("query", nargs="?", metavar="QUERY", help="omit with --saved")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    kept = p.add_mutually_exclusive_group()
    kept.add_argument(
        "--save",
        metavar="NAME",
        help="also keep QUERY under NAME, to run again and watch for new matches (`searches`)",
    )
    kept.add_argument("--saved", metavar="NAME", help="run the search saved under NAME")
    _common(p, json_flag=True)

    p = sub.add_parser(
        "searches",
        help="list saved searches with their matches, and how many are new since each was "
        "last opened",
    )
    action = p.add_mutually_exclusive_group()
    action.add_argument(
        "--seen", metavar="NAME", help="count the matches of NAME as seen (new goes back to 0)"
    )
    action.add_argument("--delete", metavar="NAME", help="forget the saved search NAME")
    action.add_argument(
        "--rename", nargs=2, metavar=("NAME", "NEW_NAME"), help="give a saved search a new name"
    )
    _common(p, json_flag=True)

    p = sub.add_parser("highlight", help="highlight the first occurrence of a quote")
    p.add_argument("id", type=int, help="story id")
    p.add_argument("--quote", required=True, metavar="TEXT")
    p.add_argument(
        "--color",
        default=Color.YELLOW.value,
        metavar="COLOR",
        help="yellow, green, blue, pink, purple, or a codebook name",
    )
    p.add_argument("--note", default="", metavar="TEXT")
    _common(p, json_flag=True)

    p = sub.add_parser(
        "reattach", help="put a highlight that lost its place (an orphan) on new words"
    )
    p.add_argument("id", type=int, help="highlight id")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--quote", metavar="TEXT", help="the first occurrence of TEXT")
    where.add_argument(
        "--candidate", type=int, metavar="N", help="candidate N as listed by `show` (1 = best)"
    )
    _common(p, json_flag=True)

    p = sub.add_parser("note", help="add a note to a whole story")
    p.add_argument("id", type=int, help="story id")
    p.add_argument("text")
    _common(p, json_flag=True)

    p = sub.add_parser("export", help="export the archive with highlights and notes")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="json")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE|DIR",
        help="write here instead of stdout; for markdown, a folder (existing, or ending in /) "
        "gets one file per story",
    )
    p.add_argument("--story", type=int, action="append", metavar="ID", help="only this story")
    p.add_argument(
        "--highlight", type=int, action="append", metavar="ID", help="only this highlight"
    )
    p.add_argument(
        "--search",
        metavar="NAME",
        help="only the stories the saved search NAME matches (in their text, highlights or notes)",
    )
    p.add_argument("--no-bom", action="store_true", help="csv: no UTF-8 byte-order mark")
    _common(p)

    p = sub.add_parser("codebook", help="list, set or clear what each highlight colour means")
    p.add_argument("color", nargs="?", choices=[c.value for c in Color], metavar="COLOR")
    p.add_argument("name", nargs="?", metavar="NAME", help='e.g. "risk"')
    p.add_argument("--description", default="", metavar="TEXT")
    p.add_argument("--clear", choices=[c.value for c in Color], metavar="COLOR")
    _common(p, json_flag=True)

    p = sub.add_parser("tag", help="tag a story (or a highlight with --highlight)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("tags", nargs="+", metavar="TAG")
    p.add_argument("--highlight", action="store_true", help="ID is a highlight's")
    p.add_argument("--remove", action="store_true", help="remove the tags instead")
    _common(p, json_flag=True)

    p = sub.add_parser(
        "tags", help="list the tags with their story and highlight counts, or rename one"
    )
    _common(p, json_flag=True)
    actions = p.add_subparsers(dest="tags_action", metavar="ACTION")
    r = actions.add_parser(
        "rename", help="rename a tag everywhere; to a tag that exists already, the two merge"
    )
    r.add_argument("old", metavar="OLD")
    r.add_argument("new", metavar="NEW")
    _common(r, json_flag=True)

    p = sub.add_parser("backup", help="copy the archive consistently, even while it is in use")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="default: DATA_DIR/backups/archive-DATE-TIME.sqlite3"
    )
    _common(p, json_flag=True)

    p = sub.add_parser(
        "restore", help="replace the archive with a backup (the current one is kept)"
    )
    p.add_argument("file", metavar="FILE")
    _common(p, json_flag=True)

    p = sub.add_parser("index", help="apply every change the search index has not taken in yet")
    p.add_argument(
        "--merge",
        action="store_true",
        help="then merge the index's segments, for faster searches (the window does this by"
        " itself when idle; minutes for 100,000 stories)",
    )
    _common(p, json_flag=True)

    p = sub.add_parser("reindex", help="rebuild the search index from the database")
    _common(p, json_flag=True)

    p = sub.add_parser(
        "check", help="check the database and that the index agrees with it, document by document"
    )
    _common(p, json_flag=True)
    p.add_argument(
        "--repair",
        action="store_true",
        help="re-queue what the index has wrong (a damaged index: everything), apply, check again",
    )
    return parser
