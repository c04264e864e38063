# ProPortal. `make help` lists the targets.
#
# sam build calls build-<LogicalId> (Metadata: BuildMethod: makefile in
# template.yaml) with ARTIFACTS_DIR set; every other target works without SAM.

GO            ?= go
# Lambda's arm64 (Graviton), static, no RPC shim (provided.al2023 needs none), small.
LAMBDA_ENV    := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
LAMBDA_FLAGS  := -tags lambda.norpc -trimpath -ldflags="-s -w"
LOCAL_BUILD   := .aws-sam/build-local
TEST_TIMEOUT  ?= 10m

# kebab turns a function's name into its folder: GetMe -> get-me (as Route.Dir does).
kebab = $(shell echo '$(1)' | sed -E 's/([a-z0-9])([A-Z])/\1-\2/g' | tr '[:upper:]' '[:lower:]')
# FUNCTIONS are the logical ids of every functions/<dir>: get-me -> GetMeFunction.
FUNCTIONS := $(shell ls functions | awk -F- '{ for (i = 1; i <= NF; i++) printf "%s%s", toupper(substr($$i, 1, 1)), substr($$i, 2); print "Function" }')

# The portal's npm packages, installed from the lock file when it changes.
WEB_DEPS      := web/node_modules/.package-lock.json
STACK         ?= proportal
stack-output   = $(shell aws cloudformation describe-stacks --stack-name $(STACK) --query "Stacks[0].Outputs[?OutputKey=='$(1)'].OutputValue" --output text)

.PHONY: help setup build web run test test-short bench lint deploy deploy-web clean

help: ## list the targets
	@grep -E '^[a-zA-Z%-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  %-20s %s\n", $$1, $$2 }'

build-%Function: ## build one Lambda's bootstrap into $(ARTIFACTS_DIR) (what sam build calls)
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: sam build sets it; by hand run make $@ ARTIFACTS_DIR=/some/dir" >&2; exit 2; }
	@test -f functions/$(call kebab,$*)/main.go || { echo "$@: there is no functions/$(call kebab,$*)/main.go" >&2; exit 2; }
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o "$(ARTIFACTS_DIR)/bootstrap" ./functions/$(call kebab,$*)

build: ## build every Lambda into .aws-sam/build-local/<LogicalId>/bootstrap, without SAM
	@for id in $(FUNCTIONS); do \
		$(MAKE) --no-print-directory build-$$id ARTIFACTS_DIR="$(CURDIR)/$(LOCAL_BUILD)/$$id" || exit 1; \
	done

$(WEB_DEPS): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web: $(WEB_DEPS) ## build the portal into web/dist
	cd web && npm run build

# run and test set the machine up first (scripts/setup: it installs what is
# missing, or stops with the command to run), then build the portal: in that
# order, so npm is known to be there before npm ci.
setup: ## install what make test needs and this machine lacks (moto, cfn-lint, Chromium), or say how
	scripts/setup test

run: ## run API, portal and /dev/mail locally on moto_server (never touches AWS)
	@scripts/setup run
	@$(MAKE) --no-print-directory web
	$(GO) run ./cmd/local

test: ## vet, the portal's unit tests and size budget, then every Go test, browser tests included (what CI runs)
	@scripts/setup test
	@$(MAKE) --no-print-directory web
	$(GO) vet ./...
	cd web && npm test && npm run size
	$(GO) test -timeout $(TEST_TIMEOUT) ./...

test-short: ## the developer loop: Go tests without the slow ones (browser, concurrency, builds, cfn-lint)
	$(GO) test -short -timeout $(TEST_TIMEOUT) ./...

bench: ## benchmarks only
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m ./...

lint: ## gofmt, go vet and cfn-lint
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "not gofmt-ed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	cfn-lint template.yaml

deploy: ## sam build && sam deploy, with samconfig.toml's defaults
	sam build
	sam deploy

deploy-web: web ## upload web/dist to the stack's portal bucket (after sam deploy) and refresh CloudFront
	@bucket="$(call stack-output,PortalBucketName)"; distribution="$(call stack-output,PortalDistributionId)"; \
	if [ -z "$$bucket" ] || [ "$$bucket" = None ]; then echo "stack $(STACK) has no PortalBucketName output: run make deploy first (STACK=... for another stack)" >&2; exit 1; fi; \
	echo "uploading web/dist to s3://$$bucket"; \
	aws s3 sync web/dist/assets "s3://$$bucket/assets" --cache-control "public, max-age=31536000, immutable" && \
	aws s3 sync web/dist "s3://$$bucket" --exclude "assets/*" --delete --cache-control "no-cache" && \
	aws cloudfront create-invalidation --distribution-id "$$distribution" --paths "/" "/index.html" >/dev/null && \
	echo "done: old assets stay for pages already open; index.html is fresh"

clean: ## remove build output
	rm -rf .aws-sam web/dist test-artifacts
