# npm without a network: init, pack a local package, install the tarball offline, require
# it, run a script, list. Everything lands in the working directory.
export HOME=$PWD/home npm_config_cache=$PWD/cache npm_config_update_notifier=false \
	npm_config_fund=false npm_config_audit=false
command -v npm >/dev/null || { echo "no npm"; exit 0; }
mkdir -p home app libx
printf '{ "name": "libx", "version": "1.0.0", "main": "index.js" }\n' >libx/package.json
echo 'module.exports = () => "libx works";' >libx/index.js
cd app
npm init -y >/dev/null && echo init ok
(cd ../libx && npm pack --pack-destination ../app >/dev/null 2>&1)
ls *.tgz
npm install --offline ./libx-1.0.0.tgz 2>&1 | grep -c 'added 1 package'
node -e 'console.log(require("libx")())'
npm pkg set scripts.hello='echo hello from script' && npm run -s hello
npm ls --depth=0 2>/dev/null | tail -1 | sed 's/.*libx/libx/'
