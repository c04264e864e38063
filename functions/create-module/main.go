// Command create-module is the Lambda function of POST /api/modules.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.CreateModule, nil); err != nil {
		log.Fatal(err)
	}
}
