// Package sam checks the AWS SAM project against the route table: that
// template.yaml has one Lambda per route of httpapi.Routes with the route's
// method and path, that its table is the one dynamo.TableDefinition creates,
// that it passes cfn-lint, that the Makefile builds every function into a
// static arm64 bootstrap, that every sample event in events/ works against its
// handler, and that each function's IAM policy allows the AWS calls its event
// makes (DynamoDB, and SES for the functions that send mail). It holds only
// tests.
package sam
