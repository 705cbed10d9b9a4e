#!/usr/bin/env bash
# seed.sh NAME DIR: copies the files of ../shared/corpora that harness NAME
# reads (by extension, each under 150 kB) into DIR, for make fuzz to start
# from besides the committed corpus. Those corpora are other projects'
# files: they are read in place or copied under build-fuzz/, never
# committed (../shared/corpora/README.md). Without ../shared/corpora,
# DIR stays empty.
set -eu
name=$1
dir=$2
src=${TTE_CORPORA:-../shared/corpora}
case "$name" in
pdf_*) exts="pdf" ;;
cms_verify|cms_ats) exts="p7m p7s pkcs7 p7b" ;;
cms_tst) exts="tst" ;;
pki_ocsp) exts="ors ocsp" ;;
pki_store) exts="crl crt cer der ors" ;;
walk_zip) exts="zip asice asics sce scs" ;;
tte_engine) exts="pdf p7m p7s" ;;
*) exts="" ;;
esac
mkdir -p "$dir"
[ -d "$src" ] || exit 0
for e in $exts; do
	find "$src" -type f -iname "*.$e" -size -150k -print0 |
		while IFS= read -r -d '' f; do
			cp "$f" "$dir/$(sha1sum <"$f" | cut -c1-40)"
		done
done
