// Command get-module is the Lambda function of GET /api/modules/{moduleId}.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetModule, nil); err != nil {
		log.Fatal(err)
	}
}
