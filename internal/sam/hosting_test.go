package sam

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

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
