package sam

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestLogGroups checks that every function logs to the stack's functions
// log group (Globals; no function sends its logs elsewhere), which keeps its
// logs LogRetentionDays (30 by default), and that the HTTP API writes a JSON
// access log to its own. One group for all functions, rather than one each:
// a group per function cost 65 of CloudFormation's 500 resources a stack
// (docs/decisions.md, "Operations").
func TestLogGroups(t *testing.T) {
	tpl := loadTemplate(t)
	if got := scalar(lookup(tpl.root, "Parameters", "LogRetentionDays", "Default")); got != "30" {
		t.Errorf("LogRetentionDays defaults to %q, want 30", got)
	}
	groups := tpl.resources("AWS::Logs::LogGroup")
	retained := func(id string) bool {
		r := lookup(groups[id], "Properties", "RetentionInDays")
		return r != nil && r.Tag == "!Ref" && r.Value == "LogRetentionDays"
	}
	shared := lookup(tpl.root, "Globals", "Function", "LoggingConfig", "LogGroup")
	switch {
	case shared == nil || shared.Tag != "!Ref" || groups[shared.Value] == nil:
		t.Errorf("Globals.Function.LoggingConfig.LogGroup is not a !Ref to an AWS::Logs::LogGroup of the stack")
	case !retained(shared.Value):
		t.Errorf("the functions' log group %s has no RetentionInDays: !Ref LogRetentionDays", shared.Value)
	case strings.HasPrefix(scalar(lookup(groups[shared.Value], "Properties", "LogGroupName")), "aws/"):
		t.Errorf("the functions' log group is named aws/...: Lambda cannot create a custom group named so")
	}
	for fn, f := range tpl.resources(functionType) {
		if lookup(f, "Properties", "LoggingConfig", "LogGroup") != nil {
			t.Errorf("%s sends its logs to a group of its own: every function logs to the functions' group", fn)
		}
	}
	for id, g := range groups {
		if strings.HasPrefix(scalar(lookup(g, "Properties", "LogGroupName")), "/aws/lambda/") {
			t.Errorf("%s is a function's own log group, which no function writes to now (they log to the functions' group)", id)
		}
	}

	access := lookup(only(t, tpl, "AWS::Serverless::HttpApi"), "Properties", "AccessLogSettings")
	dest := lookup(access, "DestinationArn")
	if dest == nil || dest.Tag != "!GetAtt" || !strings.HasSuffix(dest.Value, ".Arn") {
		t.Fatalf("the HTTP API has no AccessLogSettings.DestinationArn: !GetAtt <LogGroup>.Arn")
	}
	if id := strings.TrimSuffix(dest.Value, ".Arn"); groups[id] == nil || !retained(id) {
		t.Errorf("the access log goes to %s, not a log group of the stack with retention", id)
	}
	var format map[string]string
	if err := json.Unmarshal([]byte(scalar(lookup(access, "Format"))), &format); err != nil {
		t.Fatalf("the access log format is not a JSON object: %v", err)
	}
	for _, k := range []string{"requestId", "ip", "routeKey", "status", "latency"} {
		if !strings.HasPrefix(format[k], "$context.") {
			t.Errorf("the access log has no %s ($context variable): %v", k, format)
		}
	}
}

// metricsOf lists "Namespace MetricName" of an alarm, its own or its metric
// math's.
func metricsOf(alarm *yaml.Node) []string {
	p := lookup(alarm, "Properties")
	if ns := scalar(lookup(p, "Namespace")); ns != "" {
		return []string{ns + " " + scalar(lookup(p, "MetricName"))}
	}
	var out []string
	if ms := lookup(p, "Metrics"); ms != nil {
		for _, m := range ms.Content {
			if metric := lookup(m, "MetricStat", "Metric"); metric != nil {
				out = append(out, scalar(lookup(metric, "Namespace"))+" "+scalar(lookup(metric, "MetricName")))
			}
		}
	}
	return out
}

// TestAlarms checks that what an on-call engineer must hear about has an
// alarm, that every alarm notifies the topic, and that every function
// deploys by canary rolled back by alarms.
func TestAlarms(t *testing.T) {
	tpl := loadTemplate(t)
	alarms := tpl.resources("AWS::CloudWatch::Alarm")
	var watched []string
	for id, a := range alarms {
		watched = append(watched, metricsOf(a)...)
		actions := lookup(a, "Properties", "AlarmActions")
		if actions == nil || len(actions.Content) != 1 {
			t.Errorf("%s has no single AlarmActions entry", id)
			continue
		}
		act := actions.Content[0]
		if act.Tag != "!If" || len(act.Content) != 3 || act.Content[0].Value != "CreateAlarmTopic" ||
			act.Content[1].Value != "AlarmTopic" || act.Content[2].Value != "AlarmTopicArn" {
			t.Errorf("%s does not notify !If [CreateAlarmTopic, !Ref AlarmTopic, !Ref AlarmTopicArn]", id)
		}
	}
	for _, want := range []string{
		"AWS/ApiGateway 5xx", "AWS/ApiGateway Latency",
		"AWS/Lambda Errors", "AWS/Lambda Throttles",
		"AWS/DynamoDB ReadThrottleEvents", "AWS/DynamoDB WriteThrottleEvents", "AWS/DynamoDB SystemErrors",
		"AWS/SES Reputation.BounceRate", "AWS/SES Reputation.ComplaintRate",
		"ProPortal ServerErrors",
	} {
		if !slices.Contains(watched, want) {
			t.Errorf("no alarm on %s", want)
		}
	}
	for id, a := range alarms {
		if slices.Contains(metricsOf(a), "AWS/ApiGateway Latency") && scalar(lookup(a, "Properties", "ExtendedStatistic")) != "p99" {
			t.Errorf("%s watches latency but not its p99", id)
		}
	}
	if lookup(tpl.root, "Parameters", "AlarmTopicArn") == nil || tpl.resources("AWS::SNS::Topic")["AlarmTopic"] == nil {
		t.Error("no AlarmTopicArn parameter or no AlarmTopic made when it is empty")
	}

	fn := lookup(tpl.root, "Globals", "Function")
	if scalar(lookup(fn, "AutoPublishAlias")) == "" {
		t.Error("Globals.Function has no AutoPublishAlias")
	}
	pref := lookup(fn, "DeploymentPreference")
	if got := scalar(lookup(pref, "Type")); got != "Canary10Percent5Minutes" {
		t.Errorf("DeploymentPreference.Type = %q, want Canary10Percent5Minutes", got)
	}
	rollback := lookup(pref, "Alarms")
	if rollback == nil || len(rollback.Content) == 0 {
		t.Fatal("DeploymentPreference has no Alarms to roll back on")
	}
	for _, r := range rollback.Content {
		if r.Tag != "!Ref" || alarms[r.Value] == nil {
			t.Errorf("DeploymentPreference alarm %q is not a !Ref to an alarm of the stack", r.Value)
		}
	}
	for fnID, f := range tpl.resources(functionType) {
		if lookup(f, "Properties", "DeploymentPreference") != nil || lookup(f, "Properties", "AutoPublishAlias") != nil {
			t.Errorf("%s overrides the global canary deployment", fnID)
		}
	}
	if tags := keys(lookup(fn, "Tags")); !slices.Contains(tags, "app") || !slices.Contains(tags, "environment") {
		t.Errorf("Globals.Function.Tags = %v, want app and environment", tags)
	}
}
