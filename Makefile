# The two commands a newcomer needs: `make demo` (main job on embedded defaults) and `make test`.
.PHONY: setup build demo test typecheck stack-up stack-down clean

setup:
	@bash scripts/setup.sh

demo: setup
	@bin/correctly demo

# The layer check and the fast layer first (a broken import or policy fails in ~2 minutes), then
# the full-stack tests (docs/architecture.md).
test:
	@bash scripts/setup.sh --test
	npm run build
	npx tsc --noEmit
	npm run test:fast
	npm run test:full
	@node scripts/test-summary.mjs .state/test-reports/fast.json .state/test-reports/full.json

build:
	npm run build

typecheck:
	npx tsc --noEmit

stack-up: setup
	@bin/correctly stack up

stack-down:
	@bin/correctly stack down

clean: stack-down
	rm -rf .state
