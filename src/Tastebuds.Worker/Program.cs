using Tastebuds.Worker.Cli;

// The daemon and every operator verb; the host is composed in WorkerComposition.AddTastebuds.
return await TastebudsCommandLine.RunAsync(args);
