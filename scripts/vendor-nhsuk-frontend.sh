#!/usr/bin/env bash
# Refresh the vendored NHS.UK frontend (CSS, JS, icons) from the npm registry.
# Running the site needs no Node: the built files are committed under static/vendor/.
# Usage: scripts/vendor-nhsuk-frontend.sh 10.6.1
set -euo pipefail
version=${1:?usage: $0 VERSION}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "nhsuk-frontend@$version" --silent >/dev/null && tar xzf "nhsuk-frontend-$version.tgz")
dest="$here/static/vendor/nhsuk-frontend"
rm -rf "$dest"
mkdir -p "$dest/assets"
cp "$work/package/dist/nhsuk/nhsuk-frontend.min.js" "$dest/"
cp -r "$work/package/dist/nhsuk/assets/images" "$dest/assets/"
cp "$work/package/LICENSE"* "$dest/" 2>/dev/null || true
# The stylesheet points at /assets/images/; make those paths relative to the stylesheet.
sed "s|url(/assets/|url(assets/|g; s|/\*# sourceMappingURL=[^*]*\*/||" \
  "$work/package/dist/nhsuk/nhsuk-frontend.min.css" >"$dest/nhsuk-frontend.min.css"
sed -i "s|//# sourceMappingURL=.*||" "$dest/nhsuk-frontend.min.js"
echo "$version" >"$dest/VERSION"
echo "nhsuk-frontend $version vendored into static/vendor/nhsuk-frontend"
