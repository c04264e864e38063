// Command delete-module is the Lambda function of DELETE /api/modules/{moduleId}.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.DeleteModule, nil); err != nil {
		log.Fatal(err)
	}
}
