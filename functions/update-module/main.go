// Command update-module is the Lambda function of PUT /api/modules/{moduleId}.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.UpdateModule, nil); err != nil {
		log.Fatal(err)
	}
}
