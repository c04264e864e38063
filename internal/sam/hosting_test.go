package sam

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"proportal/internal/httpapi"
	"proportal/internal/localserver"
)

// only returns the one resource of a type, failing when there is not exactly one.
func only(t *testing.T, tpl samTemplate, typ string) *yaml.Node {
	t.Helper()
	rs := tpl.resources(typ)
	if len(rs) != 1 {
		t.Fatalf("template.yaml has %d resources of type %s, want 1", len(rs), typ)
	}
	for _, r := range rs {
		return r
	}
	return nil
}

// TestPortalHosting checks the CloudFront hosting of web/dist: a private
// bucket read through origin access control, /api/* to the HTTP API on the
// same origin, app routes to index.html, and the local server's security
// headers plus HSTS.
func TestPortalHosting(t *testing.T) {
	tpl := loadTemplate(t)

	headers := lookup(only(t, tpl, "AWS::CloudFront::ResponseHeadersPolicy"), "Properties", "ResponseHeadersPolicyConfig", "SecurityHeadersConfig")
	if got := scalar(lookup(headers, "ContentSecurityPolicy", "ContentSecurityPolicy")); got != localserver.ContentSecurityPolicy {
		t.Errorf("CloudFront's CSP differs from the local server's:\n got %s\nwant %s", got, localserver.ContentSecurityPolicy)
	}
	checks := []struct {
		path []string
		want string
	}{
		{[]string{"FrameOptions", "FrameOption"}, "DENY"},
		{[]string{"ReferrerPolicy", "ReferrerPolicy"}, "no-referrer"},
		{[]string{"StrictTransportSecurity", "IncludeSubdomains"}, "true"},
		{[]string{"ContentTypeOptions", "Override"}, "true"},
	}
	for _, c := range checks {
		if got := scalar(lookup(headers, c.path...)); got != c.want {
			t.Errorf("security header %s = %q, want %q", strings.Join(c.path, "."), got, c.want)
		}
	}
	if age := scalar(lookup(headers, "StrictTransportSecurity", "AccessControlMaxAgeSec")); len(age) < 8 {
		t.Errorf("HSTS max-age %q is under a year", age)
	}

	dist := lookup(only(t, tpl, "AWS::CloudFront::Distribution"), "Properties", "DistributionConfig")
	def := lookup(dist, "DefaultCacheBehavior")
	if scalar(lookup(def, "TargetOriginId")) != "portal" || scalar(lookup(def, "ViewerProtocolPolicy")) != "redirect-to-https" {
		t.Errorf("the default behaviour does not serve the portal bucket over HTTPS")
	}
	if fa := lookup(def, "FunctionAssociations"); fa == nil || len(fa.Content) != 1 || scalar(lookup(fa.Content[0], "EventType")) != "viewer-request" {
		t.Errorf("the default behaviour does not rewrite app routes on viewer-request")
	}
	var api *yaml.Node
	for _, b := range lookup(dist, "CacheBehaviors").Content {
		if scalar(lookup(b, "PathPattern")) == "/api/*" {
			api = b
		}
	}
	if api == nil || scalar(lookup(api, "TargetOriginId")) != "api" {
		t.Fatal("no /api/* behaviour to the api origin")
	}
	methods := []string{}
	for _, m := range scalars(lookup(api, "AllowedMethods")) {
		methods = append(methods, m.Value)
	}
	if !strings.Contains(strings.Join(methods, ","), "DELETE") || !strings.Contains(strings.Join(methods, ","), "POST") {
		t.Errorf("/api/* allows only %v", methods)
	}
	for _, o := range lookup(dist, "Origins").Content {
		switch scalar(lookup(o, "Id")) {
		case "portal":
			if lookup(o, "OriginAccessControlId") == nil {
				t.Error("the portal origin has no origin access control")
			}
		case "api":
			if scalar(lookup(o, "CustomOriginConfig", "OriginProtocolPolicy")) != "https-only" {
				t.Error("the api origin is not https-only")
			}
		}
	}

	code := scalar(lookup(only(t, tpl, "AWS::CloudFront::Function"), "Properties", "FunctionCode"))
	if !strings.Contains(code, "/index.html") || !strings.Contains(code, "indexOf('.')") {
		t.Errorf("the route function does not send extension-less paths to index.html:\n%s", code)
	}

	for id, b := range tpl.resources("AWS::S3::Bucket") {
		block := lookup(b, "Properties", "PublicAccessBlockConfiguration")
		for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
			if scalar(lookup(block, k)) != "true" {
				t.Errorf("bucket %s: %s is not true", id, k)
			}
		}
	}
}

// TestSourceAddressBehindCloudFront checks the pieces httpapi.clientIP relies
// on: CloudFront forwards the viewer's address to the API and proves with a
// secret origin header that the request came through it; every function
// knows that secret (ORIGIN_VERIFY_SECRET) and so refuses requests that
// reach the execute-api endpoint around CloudFront.
func TestSourceAddressBehindCloudFront(t *testing.T) {
	tpl := loadTemplate(t)
	dist := lookup(only(t, tpl, "AWS::CloudFront::Distribution"), "Properties", "DistributionConfig")

	var api *yaml.Node
	for _, b := range lookup(dist, "CacheBehaviors").Content {
		if scalar(lookup(b, "PathPattern")) == "/api/*" {
			api = b
		}
	}
	if api == nil {
		t.Fatal("no /api/* behaviour")
	}
	ref := lookup(api, "OriginRequestPolicyId")
	if ref == nil || ref.Tag != "!Ref" {
		t.Fatalf("/api/*'s OriginRequestPolicyId is not a !Ref to the stack's own policy (a managed one does not forward CloudFront-Viewer-Address)")
	}
	policy := tpl.resources("AWS::CloudFront::OriginRequestPolicy")[ref.Value]
	if policy == nil {
		t.Fatalf("OriginRequestPolicyId refers to %s, which is not an AWS::CloudFront::OriginRequestPolicy", ref.Value)
	}
	headers := lookup(policy, "Properties", "OriginRequestPolicyConfig", "HeadersConfig")
	var forwarded []string
	for _, h := range scalars(lookup(headers, "Headers")) {
		forwarded = append(forwarded, strings.ToLower(h.Value))
	}
	for _, want := range []string{"cloudfront-viewer-address", "origin", "sec-fetch-site", "content-type"} {
		if !slices.Contains(forwarded, want) {
			t.Errorf("%s does not forward %s (forwards %v)", ref.Value, want, forwarded)
		}
	}
	if slices.Contains(forwarded, "host") {
		t.Errorf("%s forwards Host: API Gateway would not find its API", ref.Value)
	}
	if b := scalar(lookup(headers, "HeaderBehavior")); b != "whitelist" && b != "allViewerAndWhitelistCloudFront" {
		t.Errorf("%s's HeaderBehavior = %q: CloudFront headers need whitelist", ref.Value, b)
	}
	for _, k := range []string{"CookiesConfig.CookieBehavior", "QueryStringsConfig.QueryStringBehavior"} {
		path := append([]string{"Properties", "OriginRequestPolicyConfig"}, strings.Split(k, ".")...)
		if got := scalar(lookup(policy, path...)); got != "all" {
			t.Errorf("%s's %s = %q, want all", ref.Value, k, got)
		}
	}

	// The api origin sends the secret; the functions read the same secret.
	var secretRef string
	for _, o := range lookup(dist, "Origins").Content {
		if scalar(lookup(o, "Id")) != "api" {
			continue
		}
		for _, h := range lookup(o, "OriginCustomHeaders").Content {
			if strings.EqualFold(scalar(lookup(h, "HeaderName")), httpapi.OriginVerifyHeader) {
				secretRef = scalar(lookup(h, "HeaderValue"))
			}
		}
	}
	if secretRef == "" {
		t.Fatalf("the api origin has no %s custom header", httpapi.OriginVerifyHeader)
	}
	env := scalar(lookup(tpl.root, "Globals", "Function", "Environment", "Variables", "ORIGIN_VERIFY_SECRET"))
	if env != secretRef {
		t.Errorf("ORIGIN_VERIFY_SECRET = %q, but CloudFront sends %q", env, secretRef)
	}
	m := regexp.MustCompile(`^\{\{resolve:secretsmanager:\$\{([A-Za-z0-9]+)\}:SecretString\}\}$`).FindStringSubmatch(secretRef)
	if m == nil {
		t.Fatalf("the origin header's value %q is not a Secrets Manager dynamic reference", secretRef)
	}
	if tpl.resources("AWS::SecretsManager::Secret")[m[1]] == nil {
		t.Errorf("the origin header's secret %s is not an AWS::SecretsManager::Secret of the stack", m[1])
	}
}
