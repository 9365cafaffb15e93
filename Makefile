# The two commands a newcomer needs: `make demo` (main job on embedded defaults) and `make test`.
.PHONY: setup demo test typecheck stack-up stack-down clean

setup:
	@bash scripts/setup.sh

demo: setup
	@bin/correctly demo

test:
	@bash scripts/setup.sh --test
	npx tsc --noEmit
	npx vitest run

typecheck:
	npx tsc --noEmit

stack-up: setup
	@bin/correctly stack up

stack-down:
	@bin/correctly stack down

clean: stack-down
	rm -rf .state
